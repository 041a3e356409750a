// Download links for the current selection, straight from /export and /timeline: the
// server names the file and streams it; nothing is built in the page.

import { h, fill } from './dom.js';
import { apiURL } from './api.js';
import { filterParams } from './state.js';

const FORMATS = [
  ['JSON', { format: 'json' }, 'events.json'],
  ['CSV: events', { format: 'csv', entity: 'events' }, 'events.csv'],
  ['CSV: participants', { format: 'csv', entity: 'participants' }, 'participants.csv'],
  ['CSV: statements', { format: 'csv', entity: 'statements' }, 'statements.csv'],
  ['CSV: claims and evidence', { format: 'claims' }, 'claims.csv'],
  ['GeoJSON', { format: 'geojson' }, 'events.geojson'],
  ['iCalendar', { format: 'ics' }, 'events.ics'],
  ['TimelineJS', { format: 'timelinejs' }, 'timelinejs.json'],
];

export function drawExports(list, open, s) {
  const base = filterParams(s);
  fill(list, FORMATS.map(([label, extra, file]) => {
    const p = new URLSearchParams(base);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return h('li', {}, h('a', { href: apiURL('/export', p), download: `parley-${file}`, class: 'button', 'data-format': p.get('entity') ? `${extra.format}-${extra.entity}` : extra.format }, label));
  }));
  const q = base.toString();
  open.href = '/timelinejs.html' + (q ? '?' + q : '');
}
