// The overview above the timeline: a histogram of the whole selection from
// /stats/events, with the timeline's window marked on it. It is the summary of what lies
// outside the window (the timeline loads only the window), and a click on it moves there.

import { getJSON, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { localDay } from './dates.js';

const DAY = 86400000;
const W = 1000; // the SVG's own width; it is stretched to the page's
const H = 60;

// interval picks the histogram's bucket size for a span of days: at most a few hundred
// bars.
function interval(days) {
  if (days <= 150) return 'day';
  if (days <= 1100) return 'week';
  if (days <= 15000) return 'month';
  return 'year';
}

export class Overview {
  constructor(el, { onPick }) {
    this.el = el;
    this.onPick = onPick;
    this.stats = null;
    this.svg = h('svg:svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-labelledby': 'overview-label', focusable: 'false' });
    this.label = h('p', { id: 'overview-label', class: 'overview-label' });
    this.svg.addEventListener('click', (ev) => this.pick(ev));
    fill(el, this.label, this.svg);
  }

  // load fetches the histogram of the selection (its filters as API parameters) and
  // returns {total, start, end, buckets}; start and end are the first and last nonempty
  // buckets' bounds (null when nothing matches).
  async load(params, signal) {
    const get = (iv) => getJSON('/stats/events', withInterval(params, iv), { signal }).then((r) => r.body);
    let st;
    try {
      st = await get('month');
    } catch (e) {
      if (!(e instanceof ApiError && e.fields.some((f) => f.field === 'interval'))) throw e;
      st = await get('year');
    }
    let { start, end } = extent(st.buckets);
    if (start) {
      const iv = interval((end - start) / DAY);
      if (iv !== st.interval) {
        st = await get(iv);
        ({ start, end } = extent(st.buckets));
      }
    }
    this.stats = { total: st.total, interval: st.interval, start, end, buckets: st.buckets };
    this.draw();
    return this.stats;
  }

  draw() {
    const st = this.stats;
    this.svg.replaceChildren();
    if (!st || !st.start) {
      this.label.textContent = 'No events match.';
      return;
    }
    const t0 = localDay(st.buckets[0].start);
    const t1 = localDay(st.buckets[st.buckets.length - 1].end);
    this.range = [t0, t1];
    const span = t1 - t0 || 1;
    const max = Math.max(1, ...st.buckets.map((b) => b.count));
    const x = (t) => ((t - t0) / span) * W;
    this.x = x;
    for (const b of st.buckets) {
      if (!b.count) continue;
      const bx = x(localDay(b.start));
      const bw = Math.max(1, x(localDay(b.end)) - bx - 0.5);
      const bh = Math.max(2, (b.count / max) * (H - 6));
      this.svg.append(h('svg:rect', { x: bx.toFixed(2), y: (H - bh).toFixed(2), width: bw.toFixed(2), height: bh.toFixed(2), class: 'count' },
        h('svg:title', {}, `${b.key}: ${b.count} event${b.count === 1 ? '' : 's'}`)));
    }
    this.brush = h('svg:rect', { class: 'brush', x: 0, y: 0, width: 0, height: H });
    this.svg.prepend(this.brush);
    const peak = st.buckets.reduce((a, b) => (b.count > a.count ? b : a));
    this.label.textContent = `${st.total.toLocaleString('en')} event${st.total === 1 ? '' : 's'} from ${st.buckets[0].key} to ${st.buckets[st.buckets.length - 1].key}, counted by ${st.interval}; the busiest ${st.interval}: ${peak.key} (${peak.count}). Click to move the timeline there.`;
  }

  // setWindow marks the timeline's visible window on the histogram.
  setWindow(start, end) {
    if (!this.brush || !this.x) return;
    const a = Math.max(0, Math.min(W, this.x(start)));
    const b = Math.max(0, Math.min(W, this.x(end)));
    this.brush.setAttribute('x', a.toFixed(2));
    this.brush.setAttribute('width', Math.max(2, b - a).toFixed(2));
  }

  pick(ev) {
    if (!this.range) return;
    const box = this.svg.getBoundingClientRect();
    const f = (ev.clientX - box.left) / box.width;
    this.onPick(new Date(+this.range[0] + f * (this.range[1] - this.range[0])));
  }

  // initialWindow is where the timeline opens on this selection: all of it when it is
  // small, else its latest stretch holding about `want` events.
  initialWindow(want) {
    const st = this.stats;
    if (!st || !st.start) return null;
    let n = 0;
    let from = st.start;
    if (st.total > want) {
      for (let i = st.buckets.length - 1; i >= 0; i--) {
        n += st.buckets[i].count;
        from = localDay(st.buckets[i].start);
        if (n >= want) break;
      }
    }
    return pad(from, st.end);
  }

  // estimate is about how many events of the selection start in [start, end): the
  // counts of the buckets it overlaps.
  estimate(start, end) {
    const st = this.stats;
    if (!st || !st.start) return 0;
    let n = 0;
    for (const b of st.buckets) {
      if (b.count && localDay(b.end) > start && localDay(b.start) < end) n += b.count;
    }
    return n;
  }

  // extent is the whole selection's window.
  extent() {
    const st = this.stats;
    return st && st.start ? pad(st.start, st.end) : null;
  }
}

function pad(start, end) {
  const m = Math.max((end - start) * 0.04, DAY / 2);
  return [new Date(+start - m), new Date(+end + m)];
}

function withInterval(params, iv) {
  const p = new URLSearchParams(params);
  p.set('interval', iv);
  return p;
}

function extent(buckets) {
  const full = buckets.filter((b) => b.count > 0);
  if (!full.length) return { start: null, end: null };
  return { start: localDay(full[0].start), end: localDay(full[full.length - 1].end) };
}
