// The detail panel: one event with everything around it: its date as written and in
// words, where (on a map), who took part and whom they represented, what was said and
// by whom, which sources say so and what each of them supports, and its series and
// related events. Its data: /events/{id}?include=…, /statements?event=…&include=speaker,
// /events/{id}/related.

import { getJSON, isAbort } from './api.js';
import { h, fill, busy } from './dom.js';
import { displayDate, dateNote } from './dates.js';
import { actorLink, eventLink, filterLink } from './nav.js';

const ROLE = { host: 'host', mediator: 'mediator', delegation: 'delegation', head_of_delegation: 'head of delegation', envoy: 'envoy', participant: 'participant', observer: 'observer' };
const RELATION = {
  follows: ['follows', 'is followed by'], precedes: ['precedes', 'comes after'],
  part_of: ['is part of', 'includes'], references: ['refers to', 'is referred to by'],
};

export class Detail {
  constructor(el, { onClose, onLoaded }) {
    this.el = el;
    this.onClose = onClose;
    this.onLoaded = onLoaded;
    this.slug = '';
    this.ctrl = null;
    this.map = null;
  }

  async show(slug) {
    if (slug === this.slug && !this.el.hidden) return;
    this.slug = slug;
    if (this.ctrl) this.ctrl.abort();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.el.hidden = false;
    this.el.setAttribute('aria-busy', 'true');
    const signal = ctrl.signal;
    try {
      const [ev, sts, rel] = await busy(Promise.all([
        getJSON(`/events/${encodeURIComponent(slug)}`, { include: 'participants,location,sources' }, { signal }).then((r) => r.body),
        getJSON('/statements', { event: slug, include: 'speaker,sources', limit: 200 }, { signal }).then((r) => r.body.items),
        getJSON(`/events/${encodeURIComponent(slug)}/related`, {}, { signal }).then((r) => r.body),
      ]));
      this.render(ev, sts, rel);
      this.onLoaded(ev);
    } catch (e) {
      if (isAbort(e)) return;
      fill(this.el, this.closeButton(), h('p', { class: 'error', role: 'alert' }, e.status === 404 ? `No event “${slug}”.` : `Could not load the event: ${e.message}`));
    } finally {
      if (this.ctrl === ctrl) this.el.removeAttribute('aria-busy');
    }
  }

  hide() {
    this.slug = '';
    if (this.ctrl) this.ctrl.abort();
    this.el.hidden = true;
    this.el.replaceChildren();
    this.map = null;
  }

  closeButton() {
    return h('button', { type: 'button', class: 'close', 'aria-label': 'Close the details', onclick: () => this.onClose() }, '×');
  }

  render(ev, statements, rel) {
    const d = ev.date;
    const note = dateNote(d);
    const loc = ev.location;
    const mapBox = loc && loc.latitude != null ? h('div', { class: 'map', role: 'region', 'aria-label': `Map: ${loc.name} and the events there at the time` }) : null;
    const cites = citesBySource(ev, statements);
    fill(this.el,
      this.closeButton(),
      h('p', { class: 'kicker' }, `${ev.type} · ${ev.status}`),
      h('h2', { id: 'detail-title', tabindex: '-1' }, ev.title),
      h('dl', { class: 'facts' },
        h('dt', {}, 'When'),
        h('dd', {}, h('span', { class: 'human-date' }, displayDate(d)), ' ', h('code', { class: 'edtf', title: 'The date as written (EDTF)' }, d.edtf),
          note ? h('span', { class: 'date-note' }, ` (${note})`) : null),
        loc ? [h('dt', {}, 'Where'), h('dd', { class: 'place' }, filterLink({ location: loc.slug }, loc.name), loc.country ? `, ${loc.country}` : '')] : null,
        ev.tags && ev.tags.length ? [h('dt', {}, 'Tags'), h('dd', { class: 'tags' }, ev.tags.join(', '))] : null),
      ev.summary ? h('p', { class: 'summary' }, ev.summary) : null,
      mapBox,
      section('Participants', 'participants', ev.participants.length ? h('ul', { class: 'participants' }, ev.participants.map(participant)) : h('p', {}, 'No participants recorded.')),
      section('What was said', 'statements', statements.length ? h('ul', { class: 'statements' }, statements.map(statement)) : h('p', {}, 'No statements recorded.')),
      section('Sources', 'sources', (ev.sources || []).length ? h('ul', { class: 'sources' }, ev.sources.map((s) => source(s, cites.get(s.id), (ev.evidence || []).filter((e) => e.source_id === s.id)))) : h('p', {}, 'No sources recorded.')),
      series(rel),
      related(rel),
      h('p', { class: 'raw' }, h('a', { href: `/api/v1/events/${encodeURIComponent(ev.slug)}?include=participants,location,statements,sources` }, 'This event as JSON')),
    );
    if (mapBox) {
      import('./map.js').then(({ eventMap }) => {
        if (this.slug === ev.slug && mapBox.isConnected) this.map = eventMap(mapBox, ev);
      }).catch((e) => fill(mapBox, `Map unavailable: ${e.message}`));
    }
  }
}

function section(title, cls, ...body) {
  const id = `detail-${cls}`;
  return h('section', { class: `part part-${cls}`, 'aria-labelledby': id }, h('h3', { id }, title), ...body);
}

function participant(p) {
  const a = p.actor || { slug: p.actor_id, name: p.actor_id };
  return h('li', { class: 'participant' },
    h('span', { class: 'name' }, actorLink(a)),
    p.title ? h('span', { class: 'title' }, `, ${p.title}`) : null,
    h('span', { class: 'role' }, ` · ${ROLE[p.role] || p.role}`),
    p.represents ? h('span', { class: 'represents' }, ' · representing ', actorLink(p.represents)) : null);
}

function statement(s) {
  const speaker = s.speaker;
  const who = s.attribution
    ? [h('span', { class: 'attribution' }, s.attribution), speaker ? [' (', actorLink(speaker), ')'] : null]
    : speaker ? [actorLink(speaker), s.speaker_title ? h('span', { class: 'title' }, `, ${s.speaker_title}`) : null] : 'unknown speaker';
  return h('li', { class: 'statement' },
    h('figure', {},
      s.quote ? h('blockquote', { class: 'quote' }, h('p', {}, `“${s.text}”`)) : h('p', { class: 'paraphrase' }, s.text),
      h('figcaption', {},
        h('span', { class: 'speaker' }, '— ', who),
        s.medium ? h('span', { class: 'medium' }, `, ${s.medium}`) : null,
        s.date && s.date.edtf ? h('span', { class: 'said' }, `, ${displayDate(s.date)}`) : null,
        s.quote ? null : h('span', { class: 'kind' }, ' (paraphrase)'),
        (s.sources || []).length ? h('span', { class: 'via' }, '; source: ', s.sources.map((src, i) => [i ? ', ' : '', src.credit || src.outlet])) : null)));
}

// citesBySource lists, per source, what it supports here: the event itself and the
// statements that cite it.
function citesBySource(ev, statements) {
  const m = new Map();
  for (const s of statements) {
    for (const id of s.source_ids || []) {
      if (!m.has(id)) m.set(id, []);
      m.get(id).push(s);
    }
  }
  return m;
}

// DATE_BASIS says what a source's date is when it is no publication date.
const DATE_BASIS = { gdelt_dateadded: 'added to GDELT', retrieved: 'retrieved' };

function source(s, statements, evidence) {
  const credit = s.credit || s.outlet;
  const label = s.title ? `${credit}: ${s.title}` : credit;
  const cited = statements || [];
  const basis = DATE_BASIS[s.date_basis];
  return h('li', { class: 'source' },
    s.url ? h('a', { href: s.url, class: 'external', rel: 'noopener noreferrer', target: '_blank' }, label) : h('span', { class: 'label' }, label),
    s.published && s.published.edtf ? h('span', { class: 'published' }, `, ${basis ? basis + ' ' : ''}${displayDate(s.published)}`) : null,
    s.language ? h('span', { class: 'lang' }, ` (${s.language})`) : null,
    (evidence || []).length
      ? h('ul', { class: 'evidence' }, evidence.map((ev) => h('li', {},
        h('span', { class: 'supports' }, `Supports ${ev.supports.join(', ')}`),
        ev.quote ? [': ', h('q', {}, ev.quote)] : null)))
      : null,
    h('div', { class: 'cites' },
      cited.length
        ? ['Cited for this event and for: ', cited.map((st, i) => [i ? '; ' : '', h('q', {}, truncate(st.text, 80))])]
        : 'Cited for this event.'),
    h('div', { class: 'source-links' }, filterLink({ source: s.slug }, 'Every event this source cites')));
}

function truncate(s, n) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function series(rel) {
  if (!rel || (!rel.parent && !(rel.children || []).length)) return null;
  return section('Series', 'series',
    rel.parent ? h('p', { class: 'parent' }, 'Part of ', eventLink(rel.parent), ` (${displayDate(rel.parent.date)})`) : null,
    (rel.children || []).length ? [h('p', {}, 'Rounds:'), h('ol', { class: 'rounds' }, rel.children.map((c) => h('li', {}, eventLink(c), ` (${displayDate(c.date)})`)))] : null);
}

function related(rel) {
  const list = (rel && rel.relations) || [];
  if (!list.length) return null;
  return section('Related events', 'related', h('ul', { class: 'relations' }, list.map((r) => {
    const words = RELATION[r.type] || [r.type, r.type];
    const verb = r.direction === 'incoming' ? words[1] : words[0];
    return h('li', {}, h('span', { class: 'relation' }, `This ${verb} `), eventLink(r.event), ` (${displayDate(r.event.date)})`);
  })));
}
