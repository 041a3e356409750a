// The selection in Knight Lab TimelineJS, served with the page from the npm package
// (dist/timelinejs/): the /timeline?format=timelinejs document of the same filters as
// the viewer's URL. TimelineJS loads nothing from elsewhere here: no web fonts (font:
// null) and its icons and locale from script_path.

import './timelinejs.css';
import { getJSON, hasNext } from './api.js';
import { parse, filterParams, search } from './state.js';

const status = document.getElementById('tl-status');
const s = parse(location.search);
document.getElementById('back').href = '/' + search(s);

async function main() {
  const p = filterParams(s);
  p.set('format', 'timelinejs');
  p.set('title', 'parley: the selection');
  const r = await getJSON('/timeline', p);
  const n = r.body.events.length;
  status.textContent = `${n} event${n === 1 ? '' : 's'} of the viewer's selection${hasNext(r.headers) ? ' (the first 500: narrow the filters to see the rest)' : ''}.`;
  if (!n) return;
  const tl = new window.TL.Timeline('timeline-embed', r.body, {
    script_path: new URL('/timelinejs/js/', location.href).toString(),
    font: null,
    hash_bookmark: false,
    initial_zoom: 2,
    timenav_height_percentage: 35,
  });
  window.parleyTimeline = tl;
}

main().catch((e) => { status.textContent = `The selection could not be loaded: ${e.message}`; });
