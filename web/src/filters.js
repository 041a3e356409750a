// The filter form. It shows the view's filters and turns every change into a new view
// (a new history entry). Participants come from the name search (/actors?q=) as an
// ARIA combobox: type, pick with the arrow keys and Enter or with a click.

import { getJSON, isAbort } from './api.js';
import { h, fill, debounce } from './dom.js';
import { TYPES, STATUSES } from './state.js';

const names = new Map(); // actor slug → {name, title, kind, country}

export class Filters {
  constructor(form, { onChange }) {
    this.form = form;
    this.onChange = onChange;
    this.state = null;
    this.input = form.querySelector('#actor-input');
    this.options = form.querySelector('#actor-options');
    this.chips = form.querySelector('#actor-chips');
    this.error = form.querySelector('#filter-error');
    this.suggestions = [];
    this.active = -1;
    for (const [field, values, name] of [['#type-field', TYPES, 'type'], ['#status-field', STATUSES, 'status']]) {
      const box = form.querySelector(field);
      for (const v of values) box.append(h('label', {}, h('input', { type: 'checkbox', name, value: v }), ` ${v}`));
    }
    form.addEventListener('change', (ev) => {
      const t = ev.target;
      if (t === this.input) return;
      if (t.type === 'checkbox' || t.type === 'radio' || t.tagName === 'SELECT') this.submit();
    });
    for (const id of ['#from-input', '#to-input', '#q-input']) {
      form.querySelector(id).addEventListener('change', () => this.submit());
    }
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    form.querySelector('#clear-filters').addEventListener('click', () => {
      this.onChange({ actor: [], match: 'any', represented: '', type: [], status: [], from: '', to: '', q: '', source: '', location: '', tag: '' });
    });
    const suggest = debounce(() => this.suggest(), 150);
    this.input.addEventListener('input', suggest);
    this.input.addEventListener('keydown', (ev) => this.key(ev));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  // read is the form's filters.
  read() {
    const f = this.form;
    const checked = (name) => [...f.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    return {
      actor: [...this.state.actor],
      match: f.querySelector('input[name="match"]:checked').value,
      represented: f.querySelector('input[name="represented"]').checked ? 'true' : '',
      type: checked('type'),
      status: checked('status'),
      from: f.querySelector('#from-input').value.trim(),
      to: f.querySelector('#to-input').value.trim(),
      q: f.querySelector('#q-input').value.trim(),
      lanes: f.querySelector('#lanes-input').value,
    };
  }

  submit() {
    this.onChange(this.read());
  }

  // sync shows a view's filters in the form.
  sync(s) {
    this.state = s;
    const f = this.form;
    for (const i of f.querySelectorAll('input[name="type"], input[name="status"]')) i.checked = s[i.name].includes(i.value);
    for (const i of f.querySelectorAll('input[name="match"]')) i.checked = i.value === s.match;
    f.querySelector('input[name="represented"]').checked = !!s.represented;
    f.querySelector('#from-input').value = s.from;
    f.querySelector('#to-input').value = s.to;
    f.querySelector('#q-input').value = s.q;
    f.querySelector('#lanes-input').value = s.lanes;
    this.drawChips();
  }

  drawChips() {
    const s = this.state;
    const extra = [];
    if (s.source) extra.push(['source', `cited by ${s.source}`]);
    if (s.location) extra.push(['location', `at ${s.location}`]);
    if (s.tag) extra.push(['tag', `tagged ${s.tag}`]);
    fill(this.chips,
      s.actor.map((slug) => {
        const n = names.get(slug);
        const label = n ? n.name : slug;
        return h('li', { class: 'chip', 'data-slug': slug },
          h('span', {}, label),
          h('button', { type: 'button', 'aria-label': `Remove ${label}`, onclick: () => this.onChange({ actor: s.actor.filter((a) => a !== slug) }) }, '×'));
      }),
      extra.map(([k, label]) => h('li', { class: 'chip' }, h('span', {}, label),
        h('button', { type: 'button', 'aria-label': `Remove the filter ${label}`, onclick: () => this.onChange({ [k]: '' }) }, '×'))));
    const missing = s.actor.filter((slug) => !names.has(slug));
    if (missing.length) {
      Promise.all(missing.map((slug) => getJSON(`/actors/${encodeURIComponent(slug)}`).then((r) => names.set(slug, r.body)).catch(() => names.set(slug, { name: slug }))))
        .then(() => { if (this.state === s) this.drawChips(); });
    }
    this.form.querySelector('.match').hidden = s.actor.length < 2;
    this.form.querySelector('.represented').hidden = s.actor.length < 1;
  }

  async suggest() {
    const q = this.input.value.trim();
    if (this.ctrl) this.ctrl.abort();
    if (!q) return this.close();
    this.ctrl = new AbortController();
    try {
      const r = await getJSON('/actors', { q, limit: 8 }, { signal: this.ctrl.signal });
      this.suggestions = r.body.items.filter((a) => !this.state.actor.includes(a.slug));
      for (const a of r.body.items) names.set(a.slug, a);
      this.active = this.suggestions.length ? 0 : -1;
      this.drawOptions(q);
    } catch (e) {
      if (!isAbort(e)) this.showError(e.message);
    }
  }

  drawOptions(q) {
    fill(this.options, this.suggestions.length
      ? this.suggestions.map((a, i) => h('li', {
        id: `actor-option-${i}`, role: 'option', 'aria-selected': i === this.active ? 'true' : 'false', 'data-slug': a.slug,
        onmousedown: (ev) => { ev.preventDefault(); this.pick(a); },
      }, h('span', { class: 'name' }, a.name), h('span', { class: 'about' }, [a.title || a.kind, a.country].filter(Boolean).join(', '))))
      : h('li', { class: 'none', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, `Nobody named “${q}”`));
    this.options.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `actor-option-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    this.options.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  key(ev) {
    const open = !this.options.hidden && this.suggestions.length;
    switch (ev.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!open) return;
        ev.preventDefault();
        this.active = (this.active + (ev.key === 'ArrowDown' ? 1 : -1) + this.suggestions.length) % this.suggestions.length;
        this.drawOptions(this.input.value.trim());
        break;
      case 'Enter':
        if (open && this.active >= 0) {
          ev.preventDefault();
          this.pick(this.suggestions[this.active]);
        }
        break;
      case 'Escape':
        this.close();
        break;
    }
  }

  pick(a) {
    names.set(a.slug, a);
    this.input.value = '';
    this.close();
    this.onChange({ ...this.read(), actor: [...this.state.actor, a.slug] });
  }

  showError(msg) {
    this.error.textContent = msg;
    this.error.hidden = !msg;
  }
}
