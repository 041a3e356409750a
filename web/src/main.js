// parley's timeline viewer. The URL holds the view (state.js); render() draws whatever
// it says: the filters, the overview and the timeline of the selection (loading only
// the window shown), the chosen event's details, or an actor's own view.

import './style.css';
import { getJSON, hasNext, isAbort } from './api.js';
import { h, fill, busy, debounce } from './dom.js';
import { day, filterBound, localDay } from './dates.js';
import { parse, search, filterParams, filterKey, activeFilters } from './state.js';
import { setView } from './nav.js';
import { Filters } from './filters.js';
import { Overview } from './overview.js';
import { TimelineView, itemTime } from './timeline.js';
import { Detail } from './detail.js';
import { drawExports } from './exports.js';

const LIMIT = 500; // the most events one window load asks for (the API's maximum page)
const SLICES = 5; // the most requests a crowded window is asked for in
const SAMPLE = 250; // how many events of a crowded window are drawn
const WANT = 150; // about how many events the first window shows of a large selection
const LISTED = 100; // the most events the list under the timeline shows
const DAY = 86400000;

const $ = (id) => document.getElementById(id);

let state = parse(location.search);

// go moves to the view changed by patch: a new history entry unless replace.
function go(patch, { replace = false } = {}) {
  const next = { ...state, ...patch };
  const url = '/' + search(next) + location.hash;
  if (url === location.pathname + location.search + location.hash) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render(next);
}

// The main view: overview, timeline and the list of events in view.
class MainView {
  constructor() {
    this.key = null;
    this.loaded = null; // {start, end, truncated}
    this.stats = null;
    this.overview = new Overview($('overview'), { onPick: (t) => this.moveTo(t) });
    this.timeline = new TimelineView($('timeline'), {
      onSelect: (id, how) => select(id, how),
      onRange: (start, end, done, byUser) => this.range(start, end, done, byUser),
    });
    this.later = debounce(() => this.ensure(), 200);
    $('zoom-in').addEventListener('click', () => this.timeline.zoom(0.5));
    $('zoom-out').addEventListener('click', () => this.timeline.zoom(-0.5));
    $('zoom-fit').addEventListener('click', () => {
      const w = this.overview.extent();
      if (w) this.timeline.setWindow(...w);
    });
  }

  async show(s) {
    const key = filterKey(s) + '|' + s.lanes;
    if (key !== this.key) {
      this.key = key;
      await this.reload(s);
    } else if (s.win) {
      const w = parseWin(s.win);
      const cur = this.timeline.window();
      if (w && (Math.abs(w[0] - cur.start) > DAY || Math.abs(w[1] - cur.end) > DAY)) this.timeline.setWindow(...w);
    }
    this.timeline.select(s.event);
    this.list();
  }

  // reload starts over on a new selection: the overview, then the window's events.
  async reload(s) {
    if (this.ctrl) this.ctrl.abort();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.ready = false;
    this.loaded = null;
    this.timeline.set([], null);
    $('summary').textContent = 'Loading…';
    try {
      this.stats = await busy(this.overview.load(filterParams(s), ctrl.signal));
      showError('');
      if (!this.stats.start) {
        $('summary').textContent = 'No events match these filters.';
        this.list();
        return;
      }
      const w = parseWin(s.win) || this.overview.initialWindow(WANT);
      this.timeline.setWindow(...w);
      await this.load(s, w[0], w[1]);
      this.ready = true;
    } catch (e) {
      if (!isAbort(e)) {
        $('summary').textContent = 'The events could not be loaded.';
        showError(e.message);
      }
    }
  }

  // load fetches the events of [start, end) widened by half a window each side (and
  // within the from/to filters), as the vis-timeline document of /timeline.
  async load(s, start, end) {
    const span = end - start;
    const padded = this.overview.estimate(new Date(+start - span / 2), new Date(+end + span / 2)) <= LIMIT * 0.8;
    let a = padded ? new Date(+start - span / 2) : start;
    let b = padded ? new Date(+end + span / 2) : end;
    const fa = filterBound(s.from, false);
    const fb = filterBound(s.to, true);
    if (fa && fa > a) a = fa;
    if (fb && fb < b) b = fb;
    if (this.winCtrl) this.winCtrl.abort();
    const ctrl = new AbortController();
    this.winCtrl = ctrl;
    const p = filterParams(s);
    p.set('format', 'vis');
    if (s.lanes) p.set('group_by', s.lanes);
    // A stretch holding more than a page of events is asked for in slices, so that the
    // events drawn are a sample spread over all of it rather than its first page; a
    // sample of SAMPLE, as they are drawn as clusters anyway and more only slow the page.
    const estimate = a < b ? this.overview.estimate(a, b) : 0;
    const k = estimate <= LIMIT * 0.9 ? 1 : Math.max(1, Math.min(SLICES, Math.floor((b - a) / DAY)));
    const limit = k === 1 ? LIMIT : Math.floor(SAMPLE / k);
    const pages = [];
    for (let i = 0; i < k && a < b; i++) {
      const q = new URLSearchParams(p);
      q.set('limit', String(limit));
      q.set('from', day(new Date(+a + ((b - a) * i) / k)));
      q.set('to', day(new Date(+a + ((b - a) * (i + 1)) / k - 1)));
      pages.push(getJSON('/timeline', q, { signal: ctrl.signal }));
    }
    const answers = await busy(Promise.all(pages));
    const doc = { items: [], groups: [] };
    const seen = new Set();
    const lanes = new Set();
    let truncated = false;
    for (const r of answers) {
      truncated ||= hasNext(r.headers);
      for (const it of r.body.items) if (!seen.has(it.id)) { seen.add(it.id); doc.items.push(it); }
      for (const g of r.body.groups || []) if (!lanes.has(g.id)) { lanes.add(g.id); doc.groups.push({ ...g, order: doc.groups.length }); }
    }
    if (this.winCtrl !== ctrl) return;
    this.loaded = { start: a, end: b, truncated, estimate, filter: this.key };
    this.timeline.set(doc.items, doc.groups.length ? doc.groups : null);
    this.timeline.select(state.event);
    this.list();
  }

  // range follows the window: the overview's mark, the URL, and more events when the
  // window leaves what was loaded (or narrows into a stretch that had too many).
  range(start, end, done, byUser) {
    this.overview.setWindow(start, end);
    if (!done || !this.ready) return;
    go({ win: `${day(start)}/${day(end)}` }, { replace: true });
    this.later();
    if (byUser) this.list();
  }

  ensure() {
    const l = this.loaded;
    if (!l || l.filter !== this.key) return;
    const w = this.timeline.window();
    const outside = w.start < l.start || w.end > l.end;
    const narrowed = l.truncated && (w.end - w.start) * 3 < l.end - l.start;
    const fa = filterBound(state.from, false);
    const fb = filterBound(state.to, true);
    const clipped = (fa && w.start < fa && +l.start === +fa) || (fb && w.end > fb && +l.end === +fb);
    if ((outside && !clipped) || narrowed) {
      this.load(state, w.start, w.end).catch((e) => { if (!isAbort(e)) showError(e.message); });
    } else {
      this.list();
    }
  }

  moveTo(t) {
    const w = this.timeline.window();
    const half = (w.end - w.start) / 2;
    this.timeline.setWindow(new Date(+t - half), new Date(+t + half));
  }

  // reveal brings an event into the window when it is outside.
  reveal(ev) {
    if (!this.ready) return;
    const a = localDay(ev.date.start);
    const b = localDay(ev.date.end) || a;
    if (a && this.timeline.reveal(a, b)) this.later();
  }

  // list writes the events in view as a list of buttons, and the summary line.
  list() {
    const st = this.stats;
    const vis = this.loaded ? this.timeline.visible() : [];
    const total = st ? st.total : 0;
    if (st && st.start) {
      let text = `${total.toLocaleString('en')} event${total === 1 ? '' : 's'} match; ${vis.length.toLocaleString('en')} in view.`;
      const l = this.loaded;
      if (l && l.truncated) {
        text += ` Drawn: a sample of ${this.timeline.items.length.toLocaleString('en')} of about ${l.estimate.toLocaleString('en')} in this stretch of time, spread over it (the clusters count the drawn ones): zoom in to see them all.`;
      }
      $('summary').textContent = text;
    }
    const shown = vis.slice(0, LISTED);
    const key = shown.map((it) => it.id).join('\n') + '|' + vis.length + '|' + state.event;
    if (key === this.listed) return;
    this.listed = key;
    fill($('event-list'), shown.map((it) => h('li', {}, h('button', {
      type: 'button', class: 'event-button', 'data-id': it.id, 'aria-current': it.id === state.event ? 'true' : null,
      onclick: () => select(it.id, 'list'),
    }, h('span', { class: 'when' }, it.dateText), ' ', h('span', { class: 'what' }, it.titleText)))),
    vis.length > shown.length ? h('li', { class: 'more' }, `and ${vis.length - shown.length} more: zoom in to list them`) : null);
  }
}

function parseWin(s) {
  const [a, b] = (s || '').split('/').map(localDay);
  return a && b && a < b ? [a, b] : null;
}

function showError(msg) {
  const el = $('filter-error');
  el.textContent = msg ? `The server refused these filters: ${msg}` : '';
  el.hidden = !msg;
}

let main;
let detail;
let actorView;

// actors loads the actor view (and vis-network) the first time it is needed.
async function actors() {
  if (!actorView) {
    const { ActorView } = await busy(import('./actor.js'));
    actorView ||= new ActorView($('actor-view'), {
      onSelect: (id) => go({ event: id || '' }),
      onActor: (slug) => go({ who: slug, event: '' }),
    });
  }
  return actorView;
}

// select shows an event's details (null: closes them).
function select(id, how) {
  go({ event: id || '' });
  if (id && how === 'list') requestAnimationFrame(() => { const t = $('detail-title'); if (t) t.focus({ preventScroll: false }); });
}

async function render(s) {
  const prev = state;
  state = s;
  setView(s);
  filters.sync(s);
  // In an actor's view the downloads are the events they took part in.
  drawExports($('export-links'), $('open-timelinejs'), s.who ? { ...s, actor: [s.who], match: 'any' } : s);
  $('exports-heading').textContent = s.who ? 'Download the events they took part in' : 'Download this selection';
  const n = activeFilters(s);
  $('filter-summary').textContent = n ? `Filters (${n} set)` : 'Filters';
  document.title = s.who ? 'parley: actor' : 'parley: timeline of diplomatic events';
  if (s.event) detail.show(s.event);
  else detail.hide();
  document.body.classList.toggle('has-detail', !!s.event);
  if (s.who) {
    $('timeline-view').hidden = true;
    await (await actors()).show(s.who, s.event);
    if (prev.who !== s.who) { const n = $('actor-name'); if (n) n.focus(); }
  } else {
    if (actorView) actorView.hide();
    $('timeline-view').hidden = false;
    if (prev.who) main.timeline.tl.redraw();
    await main.show(s);
  }
}

const filters = new Filters($('filters'), {
  onChange: (patch) => go({ ...patch, event: '', win: '', who: '' }),
});

document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a.nav');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  const url = new URL(a.href);
  const next = parse(url.search);
  if (search(next) !== search(state)) {
    history.pushState(null, '', '/' + search(next));
    render(next);
  }
});
$('home').addEventListener('click', (ev) => {
  ev.preventDefault();
  go({ actor: [], match: 'any', represented: '', type: [], status: [], from: '', to: '', q: '', source: '', location: '', tag: '', event: '', who: '', win: '', lanes: '' });
});
window.addEventListener('popstate', () => render(parse(location.search)));
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && state.event && !ev.target.closest('#filters')) go({ event: '' });
});

// Phones start with the filters folded (unless some are set); wide screens always show them.
const narrow = matchMedia('(max-width: 800px)');
if (narrow.matches && !activeFilters(state)) $('filter-box').open = false;
narrow.addEventListener('change', () => { if (!narrow.matches) $('filter-box').open = true; });

main = new MainView();
detail = new Detail($('detail'), {
  onClose: () => go({ event: '' }),
  onLoaded: (ev) => { if (!state.who) main.reveal(ev); },
});
state = { ...state, who: '' }; // render() compares with the previous view: start from none
render(parse(location.search));

// For tests and the curious: the page's parts (read-only use).
window.parleyViewer = { get state() { return state; }, main, itemTime };
