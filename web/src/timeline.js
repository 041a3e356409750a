// The vis-timeline wrapper: one timeline with items and optional lanes, selection by
// click, tap or keyboard (← → between events in time order, + − to zoom, Home/End).

import { Timeline } from 'vis-timeline';
import { DataSet } from 'vis-data/peer';
import 'vis-timeline/styles/vis-timeline-graph2d.css';

const HOUR = 3600000;
const DENSE = 120; // more items than this are clustered where they crowd
const CLUSTER = { maxItems: 4, titleTemplate: '{count} events here: zoom in, or double-click', showStipes: false, fitOnDoubleClick: true };

// prepare adds what the page reads of an item again and again: its label with the
// qualifiers of its date (c. for approximate, (?) for uncertain) besides their style,
// its times as numbers, and its date and title as text for the list of events.
export function prepare(item) {
  const cls = ` ${item.className || ''} `;
  let c = item.content;
  if (cls.includes(' parley-approximate ')) c = 'c. ' + c;
  if (cls.includes(' parley-uncertain ')) c += ' (?)';
  const title = decode(item.title || '');
  return {
    ...item, content: c,
    t0: +itemTime(item), t1: +itemTime(item, true),
    dateText: title.split(' · ')[0], titleText: decode(item.content),
  };
}

// decode reads the text of the server's escaped HTML (formats' esc: &amp; &lt; &gt;
// &#34; &#39; and numeric references); it only ever yields text.
export function decode(s) {
  return String(s).replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e) => {
    switch (e.toLowerCase()) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
  });
}

// itemTime is an item's start as a Date (vis-timeline reads "YYYY-MM-DD" as local
// midnight, as localDay does).
export function itemTime(it, end) {
  const v = end ? it.end || it.start : it.start;
  if (v instanceof Date) return v;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-').map(Number);
    const t = new Date(0);
    t.setFullYear(y, m - 1, d);
    t.setHours(0, 0, 0, 0);
    return t;
  }
  return new Date(v);
}

export class TimelineView {
  constructor(el, { onSelect, onRange, label }) {
    this.el = el;
    this.items = new DataSet();
    this.groups = null;
    this.onSelect = onSelect;
    this.tl = new Timeline(el, this.items, {
      stack: true,
      orientation: { axis: 'top', item: 'top' },
      zoomKey: 'ctrlKey',
      zoomMin: 6 * HOUR,
      zoomMax: 1000 * 365 * 24 * HOUR,
      minHeight: 200,
      maxHeight: 460,
      verticalScroll: true,
      margin: { item: { horizontal: 2, vertical: 6 } },
      tooltip: { followMouse: false, overflowMethod: 'flip', delay: 200 },
      showCurrentTime: false,
      groupOrder: 'order',
      locale: 'en',
    });
    if (label) el.setAttribute('aria-label', label);
    this.tl.on('select', (p) => this.onSelect(p.items[0] || null, 'pointer'));
    this.tl.on('rangechange', (p) => onRange && onRange(p.start, p.end, false, p.byUser));
    this.tl.on('rangechanged', (p) => onRange && onRange(p.start, p.end, true, p.byUser));
    this.tl.on('changed', () => {
      if (!this.drawn && this.items.length && el.querySelector('.vis-item')) {
        this.drawn = true;
        performance.mark('parley:first-render');
      }
    });
    el.addEventListener('keydown', (ev) => this.key(ev));
  }

  // set replaces the items (and lanes: null for none) keeping the selection.
  set(items, groups) {
    const keep = new Set(items.map((i) => i.id));
    this.items.remove(this.items.getIds().filter((id) => !keep.has(id)));
    // Many events close together are drawn as clusters ("12 events"), which open as the
    // window narrows: hundreds of stacked boxes would make every move slow.
    const dense = items.length > DENSE;
    if (dense !== this.dense) {
      this.dense = dense;
      this.tl.setOptions({ cluster: dense ? CLUSTER : false });
    }
    this.items.update(items.map(prepare));
    if (groups && groups.length) {
      if (!this.groups) {
        this.groups = new DataSet();
        this.tl.setGroups(this.groups);
      }
      const g = new Set(groups.map((x) => x.id));
      this.groups.remove(this.groups.getIds().filter((id) => !g.has(id)));
      this.groups.update(groups);
    } else if (this.groups) {
      this.groups = null;
      this.tl.setGroups(null);
    }
  }

  // ordered lists the items in time order.
  ordered() {
    return this.items.get().sort((a, b) => a.t0 - b.t0 || (a.id < b.id ? -1 : 1));
  }

  // visible lists the items overlapping the window, in time order.
  visible() {
    const w = this.tl.getWindow();
    const a = +w.start;
    const b = +w.end;
    return this.ordered().filter((it) => it.t1 > a && it.t0 < b);
  }

  select(id) {
    const sel = id && this.items.get(id) ? [id] : [];
    const cur = this.tl.getSelection();
    if (cur.length !== sel.length || cur[0] !== sel[0]) this.tl.setSelection(sel);
  }

  // reveal moves the window, keeping its length, so that the interval [a, b) shows.
  reveal(a, b) {
    const w = this.tl.getWindow();
    if (b > w.start && a < w.end) return false;
    const mid = new Date((+a + +b) / 2);
    this.tl.moveTo(mid, { animation: false });
    return true;
  }

  setWindow(start, end) {
    this.tl.setWindow(start, end, { animation: false });
  }

  window() {
    return this.tl.getWindow();
  }

  zoom(f) {
    if (f > 0) this.tl.zoomIn(f, { animation: false });
    else this.tl.zoomOut(-f, { animation: false });
  }

  key(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const list = this.ordered();
    const cur = this.tl.getSelection()[0];
    const i = list.findIndex((it) => it.id === cur);
    let next = null;
    switch (ev.key) {
      case 'ArrowRight': next = list[i < 0 ? this.firstVisible(list) : Math.min(i + 1, list.length - 1)]; break;
      case 'ArrowLeft': next = list[i < 0 ? this.firstVisible(list) : Math.max(i - 1, 0)]; break;
      case 'Home': next = list[0]; break;
      case 'End': next = list[list.length - 1]; break;
      case '+': case '=': this.zoom(0.5); ev.preventDefault(); return;
      case '-': case '_': this.zoom(-0.5); ev.preventDefault(); return;
      case 'Escape': this.onSelect(null, 'keyboard'); ev.preventDefault(); return;
      default: return;
    }
    ev.preventDefault();
    if (!next) return;
    this.tl.setSelection([next.id]);
    this.reveal(itemTime(next), itemTime(next, true));
    this.onSelect(next.id, 'keyboard');
  }

  firstVisible(list) {
    const w = this.tl.getWindow();
    const i = list.findIndex((it) => it.t1 > +w.start);
    return i < 0 ? 0 : i;
  }

  destroy() {
    this.tl.destroy();
  }
}
