// The actor view: one actor's own timeline (the events they took part in, spoke about
// and are mentioned in, in three lanes), what they said, and their network of
// co-participants drawn with vis-network beside the same figures as a table.

import { Network } from 'vis-network/peer';
import { DataSet } from 'vis-data/peer';
import { getJSON, hasNext, isAbort } from './api.js';
import { h, fill, busy } from './dom.js';
import { displayDate, visItem } from './dates.js';
import { navLink, actorLink, eventLink, filterLink } from './nav.js';
import { TimelineView } from './timeline.js';

const LANES = [
  { id: 'took-part', content: 'took part', order: 0 },
  { id: 'spoke', content: 'spoke about', order: 1 },
  { id: 'mentioned', content: 'mentioned in', order: 2 },
];

export class ActorView {
  constructor(el, { onSelect, onActor }) {
    this.el = el;
    this.onSelect = onSelect;
    this.onActor = onActor;
    this.slug = '';
    this.timeline = null;
    this.network = null;
  }

  async show(slug, selected) {
    if (slug === this.slug) {
      if (this.timeline) this.timeline.select(selected);
      return;
    }
    this.clear();
    this.slug = slug;
    this.el.hidden = false;
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    const signal = ctrl.signal;
    const id = encodeURIComponent(slug);
    fill(this.el, h('p', { class: 'loading' }, 'Loading…'));
    try {
      const actor = (await busy(getJSON(`/actors/${id}`, {}, { signal }))).body;
      const [events, statements, network, mentions, affiliation] = await busy(Promise.all([
        getJSON(`/actors/${id}/events`, { limit: 500, sort: 'date', include: 'location' }, { signal }),
        getJSON(`/actors/${id}/statements`, { include: 'event,sources', limit: 500 }, { signal }),
        getJSON(`/actors/${id}/network`, { limit: 100 }, { signal }).then((r) => r.body),
        getJSON('/events', { q: `"${actor.name.replace(/"/g, ' ')}"`, limit: 100 }, { signal }).then((r) => r.body.items),
        actor.affiliation_id ? getJSON(`/actors/${actor.affiliation_id}`, {}, { signal }).then((r) => r.body).catch(() => null) : null,
      ]));
      if (this.slug !== slug) return;
      this.render(actor, events.body.items, hasNext(events.headers), statements.body.items, network, mentions, affiliation, selected);
    } catch (e) {
      if (isAbort(e)) return;
      fill(this.el, h('p', { class: 'error', role: 'alert' }, e.status === 404 ? `No actor “${slug}”.` : `Could not load the actor: ${e.message}`),
        h('p', {}, navLink({ who: '' }, 'Back to the timeline')));
    }
  }

  clear() {
    if (this.ctrl) this.ctrl.abort();
    if (this.timeline) this.timeline.destroy();
    if (this.network) this.network.destroy();
    this.timeline = null;
    this.network = null;
    this.slug = '';
    this.el.replaceChildren();
  }

  hide() {
    this.clear();
    this.el.hidden = true;
  }

  render(actor, events, more, statements, network, mentions, affiliation, selected) {
    const spoke = new Map();
    for (const s of statements) if (s.event && !spoke.has(s.event.slug)) spoke.set(s.event.slug, s.event);
    const took = new Set(events.map((e) => e.slug));
    const items = [
      ...events.map((e) => visItem(e, 'took-part')),
      ...[...spoke.values()].filter((e) => !took.has(e.slug)).map((e) => visItem(e, 'spoke')),
      ...mentions.filter((e) => !took.has(e.slug) && !spoke.has(e.slug)).map((e) => visItem(e, 'mentioned')),
    ];
    const firstLast = events.length ? `, from ${displayDate(events[0].date)} to ${displayDate(events[events.length - 1].date)}` : '';
    const tlBox = h('div', { class: 'timeline actor-timeline', tabindex: '0', role: 'application', 'aria-roledescription': 'timeline', 'aria-describedby': 'timeline-keys' });
    const netBox = h('div', { class: 'network', role: 'img', 'aria-label': `Network: ${actor.name} and ${network.total} co-participants; the same figures are in the table below` });
    const mentionedOnly = mentions.filter((e) => !took.has(e.slug));
    fill(this.el,
      h('p', { class: 'back' }, navLink({ who: '' }, '← All events'), ' · ', filterLink({ actor: [actor.slug] }, `Show ${actor.name}'s events on the main timeline`)),
      h('h2', { id: 'actor-name', tabindex: '-1' }, actor.name),
      h('p', { class: 'actor-facts' },
        [actor.kind, actor.country, actor.title].filter(Boolean).join(' · '),
        affiliation ? [' · ', actorLink(affiliation)] : null),
      actor.aliases && actor.aliases.length ? h('p', { class: 'aliases' }, 'Also written: ', actor.aliases.join(', ')) : null,
      h('ul', { class: 'counts' },
        h('li', {}, h('strong', {}, `${events.length}${more ? '+' : ''}`), ` event${events.length === 1 ? '' : 's'} taken part in${firstLast}`),
        h('li', {}, h('strong', {}, String(statements.length)), ` statement${statements.length === 1 ? '' : 's'}`),
        h('li', {}, h('strong', {}, String(mentionedOnly.length)), ` other event${mentionedOnly.length === 1 ? '' : 's'} mentioning them`),
        h('li', {}, h('strong', {}, String(network.total)), ` co-participant${network.total === 1 ? '' : 's'}`)),
      h('section', { class: 'part', 'aria-labelledby': 'actor-tl' }, h('h3', { id: 'actor-tl' }, 'Timeline'),
        items.length ? tlBox : h('p', {}, 'No events.')),
      h('section', { class: 'part', 'aria-labelledby': 'actor-said' }, h('h3', { id: 'actor-said' }, 'What they said'),
        statements.length ? h('ul', { class: 'statements' }, statements.map(said)) : h('p', {}, 'No statements recorded.')),
      mentionedOnly.length ? h('section', { class: 'part', 'aria-labelledby': 'actor-mentioned' }, h('h3', { id: 'actor-mentioned' }, 'Mentioned in'),
        h('ul', { class: 'mentions' }, mentionedOnly.map((e) => h('li', {}, eventLink(e), ` (${displayDate(e.date)})`)))) : null,
      h('section', { class: 'part', 'aria-labelledby': 'actor-net' }, h('h3', { id: 'actor-net' }, 'Took part together with'),
        network.co_participants.length ? [netBox, coTable(network)] : h('p', {}, 'Nobody: no shared events recorded.')),
    );
    if (items.length) {
      this.timeline = new TimelineView(tlBox, { onSelect: (id, how) => this.onSelect(id, how), label: `${actor.name}'s timeline` });
      this.timeline.set(items, LANES.filter((l) => items.some((i) => i.group === l.id)));
      this.timeline.tl.fit({ animation: false });
      this.timeline.select(selected);
    }
    if (network.co_participants.length) this.network = drawNetwork(netBox, actor, network, (slug) => this.onActor(slug));
  }
}

function said(s) {
  return h('li', { class: 'statement' },
    h('figure', {},
      s.quote ? h('blockquote', { class: 'quote' }, h('p', {}, `“${s.text}”`)) : h('p', { class: 'paraphrase' }, s.text),
      h('figcaption', {},
        s.attribution ? `${s.attribution}, ` : '',
        s.date && s.date.edtf ? displayDate(s.date) : '',
        s.medium ? `, ${s.medium}` : '',
        s.event ? [', about ', eventLink(s.event)] : '')));
}

function coTable(network) {
  return h('table', { class: 'co' },
    h('caption', {}, `Co-participants${network.total > network.co_participants.length ? ` (the ${network.co_participants.length} with most shared events of ${network.total})` : ''}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'Shared events'), h('th', { scope: 'col' }, 'First'), h('th', { scope: 'col' }, 'Last'))),
    h('tbody', {}, network.co_participants.map((c) => h('tr', {},
      h('th', { scope: 'row' }, actorLink(c.actor)),
      h('td', {}, String(c.shared_events)),
      h('td', {}, day(c.first_shared)),
      h('td', {}, day(c.last_shared))))));
}

function day(s) {
  return displayDate({ edtf: (s || '').slice(0, 10), start: s });
}

function drawNetwork(el, actor, network, onPick) {
  const max = Math.max(1, ...network.co_participants.map((c) => c.shared_events));
  const nodes = new DataSet([
    { id: actor.slug, label: actor.name, value: max, group: 'self', fixed: true, x: 0, y: 0 },
    ...network.co_participants.map((c) => ({
      id: c.actor.slug, label: c.actor.name, value: c.shared_events,
      title: `${c.actor.name}: ${c.shared_events} shared event${c.shared_events === 1 ? '' : 's'}, ${day(c.first_shared)} – ${day(c.last_shared)}`,
    })),
  ]);
  const edges = new DataSet(network.co_participants.map((c) => ({ from: actor.slug, to: c.actor.slug, value: c.shared_events })));
  const net = new Network(el, { nodes, edges }, {
    nodes: { shape: 'dot', scaling: { min: 8, max: 26 }, font: { size: 14, color: '#1a1a1a' }, color: { background: '#7fa7d9', border: '#1f4e8c' } },
    groups: { self: { color: { background: '#1f4e8c', border: '#0d2a52' } } },
    edges: { color: { color: '#8d9db3' }, scaling: { min: 1, max: 8 }, smooth: false },
    physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 140 } },
    interaction: { hover: true, tooltipDelay: 150, keyboard: false },
  });
  net.once('stabilizationIterationsDone', () => net.setOptions({ physics: false }));
  net.on('click', (p) => {
    const id = p.nodes[0];
    if (id && id !== actor.slug) onPick(id);
  });
  return net;
}
