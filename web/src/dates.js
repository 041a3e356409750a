// Dates as parley writes them: EDTF text ("2025-08", "2026-01-22~/2026-01-23~") with the
// interval it covers. displayDate words one for people the way the server's exports do
// (formats.DisplayDate): "August 2025", "c. 22–23 January 2026", "2026?".

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const POINT = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?)?)?([?~%])?$/;
const RANK = { year: 1, month: 2, day: 3, minute: 4, second: 5 };

// parsePoint reads one end of an EDTF date, or null.
export function parsePoint(s) {
  const m = POINT.exec(s || '');
  if (!m) return null;
  const q = m[8] || '';
  const p = {
    year: +m[1], month: m[2] ? +m[2] : 0, day: m[3] ? +m[3] : 0,
    hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0,
    offset: m[7] || '', approximate: q === '~' || q === '%', uncertain: q === '?' || q === '%',
  };
  p.precision = m[6] ? 'second' : m[4] ? 'minute' : m[3] ? 'day' : m[2] ? 'month' : 'year';
  return p;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

function zone(p) {
  if (!p.offset) return '';
  return p.offset === 'Z' || p.offset === '+00:00' || p.offset === '-00:00' ? 'UTC' : 'UTC' + p.offset;
}

function withZone(p, s) {
  const z = zone(p);
  return z ? `${s} (${z})` : s;
}

function clock(p) {
  return p.precision === 'second' ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : `${pad(p.hour)}:${pad(p.minute)}`;
}

function pointText(p) {
  switch (RANK[p.precision]) {
    case 1: return String(p.year);
    case 2: return `${MONTHS[p.month - 1]} ${p.year}`;
    case 3: return `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
    default: return withZone(p, `${p.day} ${MONTHS[p.month - 1]} ${p.year}, ${clock(p)}`);
  }
}

function qualify(s, approximate, uncertain) {
  return (approximate ? 'c. ' : '') + s + (uncertain ? '?' : '');
}

const sameDay = (a, b) => a.year === b.year && a.month === b.month && a.day === b.day;
const samePoint = (a, b) => a.precision === b.precision && sameDay(a, b) && a.hour === b.hour &&
  a.minute === b.minute && a.second === b.second && a.offset === b.offset;

function rangeText(a, b) {
  const full = `${pointText(a)} – ${pointText(b)}`;
  if (samePoint(a, b)) return pointText(a);
  if (a.precision !== b.precision) return full;
  switch (RANK[a.precision]) {
    case 1: return a.year === b.year ? pointText(a) : `${a.year}–${b.year}`;
    case 2:
      if (a.year === b.year && a.month === b.month) return pointText(a);
      if (a.year === b.year) return `${MONTHS[a.month - 1]}–${MONTHS[b.month - 1]} ${a.year}`;
      return full;
    case 3:
      if (sameDay(a, b)) return pointText(a);
      if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${MONTHS[a.month - 1]} ${a.year}`;
      if (a.year === b.year) return `${a.day} ${MONTHS[a.month - 1]} – ${b.day} ${MONTHS[b.month - 1]} ${a.year}`;
      return full;
  }
  if (sameDay(a, b) && a.offset === b.offset) return withZone(a, `${a.day} ${MONTHS[a.month - 1]} ${a.year}, ${clock(a)}–${clock(b)}`);
  return full;
}

// displayDate words a parley date object ({edtf, start, end, precision, approximate,
// uncertain}) for people; a date whose text it cannot read falls back to its start day.
export function displayDate(d) {
  if (!d) return '';
  const parts = (d.edtf || '').split('/');
  const a = parsePoint(parts[0]);
  const b = parts.length === 2 ? parsePoint(parts[1]) : a;
  if (!a || !b || parts.length > 2) {
    const t = new Date(d.start);
    return Number.isNaN(+t) ? d.edtf || '' : qualify(`${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`, d.approximate, d.uncertain);
  }
  if (parts.length === 1) return qualify(pointText(a), a.approximate, a.uncertain);
  if (a.approximate !== b.approximate || a.uncertain !== b.uncertain) {
    return `${qualify(pointText(a), a.approximate, a.uncertain)} – ${qualify(pointText(b), b.approximate, b.uncertain)}`;
  }
  return qualify(rangeText(a, b), a.approximate, a.uncertain);
}

// dateNote says in words how sure and how precise a date is, or ''.
export function dateNote(d) {
  const notes = [];
  if (d.precision === 'year' || d.precision === 'month') notes.push(`known to the ${d.precision}`);
  if (d.approximate) notes.push('approximate');
  if (d.uncertain) notes.push('uncertain');
  return notes.join(', ');
}

// day writes a Date's local calendar day as YYYY-MM-DD: vis-timeline draws the days of
// the server's documents at local midnight, so the window maps back to days this way.
export function day(t) {
  return `${String(t.getFullYear()).padStart(4, '0')}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

// localDay reads "YYYY-MM-DD" (or an RFC 3339 instant's date) as local midnight.
export function localDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s || '');
  if (!m) return null;
  const t = new Date(0);
  t.setFullYear(+m[1], +m[2] - 1, +m[3]);
  t.setHours(0, 0, 0, 0);
  return t;
}

// filterBound reads a from/to filter as the local day it starts (from) or the day after
// it ends (to), for intersecting it with the time window; null when unreadable.
export function filterBound(s, end) {
  const p = parsePoint(((s || '').split('/')[end ? 1 : 0] || s || '').replace(/T.*$/, ''));
  if (!p) return null;
  const t = new Date(0);
  t.setFullYear(p.year, p.month ? p.month - 1 : 0, p.day || 1);
  t.setHours(0, 0, 0, 0);
  if (end) {
    if (p.precision === 'year') t.setFullYear(t.getFullYear() + 1);
    else if (p.precision === 'month') t.setMonth(t.getMonth() + 1);
    else t.setDate(t.getDate() + 1);
  }
  return t;
}

// visItem draws a parley event as vis-timeline draws the server's documents
// (formats.Vis): a range over the days its date covers, a point for a single instant.
export function visItem(e, group) {
  const d = e.date;
  const single = !(d.edtf || '').includes('/');
  const rank = RANK[d.precision] || 3;
  const item = {
    id: e.slug,
    content: escapeHTML(e.title),
    title: escapeHTML(`${displayDate(d)} · ${e.title}`),
    className: [`parley-type-${e.type}`, `parley-status-${e.status}`, `parley-precision-${d.precision}`,
      d.approximate && 'parley-approximate', d.uncertain && 'parley-uncertain'].filter(Boolean).join(' '),
  };
  if (rank >= 4 && single) {
    item.type = 'point';
    item.start = d.start;
  } else {
    item.type = 'range';
    item.start = rank >= 4 ? d.start : d.start.slice(0, 10);
    item.end = rank >= 4 ? d.end : d.end.slice(0, 10);
  }
  if (group) item.group = group;
  return item;
}

// escapeHTML escapes text for vis-timeline, which writes item content as HTML.
export function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
