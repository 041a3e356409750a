// The view is the URL: every filter, the chosen event, the actor shown and the time
// window live in the query string, so that a link restores the same view and Back and
// Forward walk through what was chosen. The filter names are the API's own.

export const TYPES = ['meeting', 'negotiation', 'summit', 'call', 'visit', 'statement', 'agreement', 'conference', 'other'];
export const STATUSES = ['scheduled', 'held', 'postponed', 'cancelled'];
export const LANES = ['', 'type', 'actor', 'location'];

const LISTS = ['actor', 'type', 'status'];
const TEXTS = ['represented', 'from', 'to', 'q', 'lanes', 'event', 'who', 'win', 'source', 'location', 'tag'];
// The filters: what selects the events (the rest is how they are shown).
const FILTERS = ['actor', 'match', 'represented', 'type', 'status', 'from', 'to', 'q', 'source', 'location', 'tag'];

// parse reads a view from a query string.
export function parse(search) {
  const p = new URLSearchParams(search);
  const s = { match: p.get('match') === 'all' ? 'all' : 'any' };
  for (const k of LISTS) s[k] = [...new Set(p.getAll(k).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
  for (const k of TEXTS) s[k] = (p.get(k) || '').trim();
  s.type = s.type.filter((t) => TYPES.includes(t));
  s.status = s.status.filter((t) => STATUSES.includes(t));
  if (!LANES.includes(s.lanes)) s.lanes = '';
  s.represented = s.represented === 'true' ? 'true' : '';
  return s;
}

// search writes a view as a query string ('' for the default view), in a fixed order.
export function search(s) {
  const p = new URLSearchParams();
  for (const k of ['actor']) for (const v of s[k] || []) p.append(k, v);
  if (s.match === 'all') p.set('match', 'all');
  for (const k of ['type', 'status']) for (const v of s[k] || []) p.append(k, v);
  for (const k of TEXTS) if (s[k]) p.set(k, s[k]);
  const q = p.toString();
  return q ? '?' + q : '';
}

// filterParams are the API parameters that select the view's events.
export function filterParams(s) {
  const p = new URLSearchParams();
  for (const v of s.actor) p.append('actor', v);
  if (s.match === 'all' && s.actor.length > 1) p.set('match', 'all');
  // Events where someone represented the actor (issue 14's represented=true).
  if (s.represented && s.actor.length) p.set('represented', 'true');
  for (const v of s.type) p.append('type', v);
  for (const v of s.status) p.append('status', v);
  for (const k of ['from', 'to', 'q', 'source', 'location', 'tag']) if (s[k]) p.set(k, s[k]);
  return p;
}

// filterKey identifies the selection: two views with the same key show the same events.
export function filterKey(s) {
  return filterParams(s).toString();
}

// activeFilters counts the filters set, for the form's summary.
export function activeFilters(s) {
  return FILTERS.reduce((n, k) => n + (Array.isArray(s[k]) ? s[k].length : (s[k] && k !== 'match' && k !== 'represented' ? 1 : 0)), 0);
}

// link is the page URL of the view s changed by patch.
export function link(s, patch) {
  return '/' + search({ ...s, ...patch });
}
