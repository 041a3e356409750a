// In-page links: an <a class="nav"> has a real href (the view's URL, so it can be opened
// in a new tab, copied or shared) and a plain click on it changes the view in place.

import { link } from './state.js';
import { h } from './dom.js';

let current = null;

// setView records the view the links are made from.
export function setView(s) {
  current = s;
}

// navLink is a link to the current view changed by patch.
export function navLink(patch, ...children) {
  return h('a', { href: link(current, patch), class: 'nav' }, ...children);
}

// actorLink goes to an actor's own view, keeping the filters.
export function actorLink(actor) {
  if (!actor) return '';
  return navLink({ who: actor.slug, event: '' }, actor.name);
}

// eventLink shows an event's details.
export function eventLink(ev, text) {
  return navLink({ event: ev.slug }, text || ev.title);
}

// filterLink shows the main timeline of another selection (its window fitted anew).
export function filterLink(patch, ...children) {
  return navLink({ ...patch, event: '', win: '', who: '' }, ...children);
}
