// Small DOM helpers. Everything the page shows from the data goes through textContent
// (h's string children) or attributes, never through innerHTML: the data may hold markup.

// h builds an element: h('a', {href: '/x', class: 'y'}, 'text', child). Attributes with
// null, undefined or false values are left out; 'on…' attributes take listeners.
export function h(tag, attrs, ...children) {
  const el = tag.includes(':') ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1]) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// clear empties an element and appends the new children.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// debounce calls fn once calls stop for ms.
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// busy counts the page's loads in flight in <body data-busy>, so that tests (and
// styles) can tell when the page has settled.
let inFlight = 0;
export async function busy(promise) {
  inFlight++;
  document.body.dataset.busy = String(inFlight);
  try {
    return await promise;
  } finally {
    inFlight--;
    document.body.dataset.busy = String(inFlight);
  }
}
