#!/usr/bin/env node
// viewer.mjs drives parley's timeline viewer in Debian's Chromium (playwright-core; it
// never downloads a browser) as a person would: it clicks, types and goes back, and
// reports what the page showed at each step as one JSON document on stdout. The caller
// (api/viewer_test.go) judges it against the API's own answers.
//
//   node e2e/viewer.mjs SPEC.json
//
// SPEC.json: {"base": "http://127.0.0.1:PORT", "out": "/dir/for/screenshots-and-downloads",
//             "only": ["hostile"]}    (only: the scenarios to run; by default all but hostile)
// Environment: CHROMIUM (default /usr/bin/chromium).
//
// Every request to another origin is blocked and listed; console errors, uncaught
// errors, Content-Security-Policy violations and failed same-origin responses are
// collected per scenario. axe-core runs in the page (evaluated through the DevTools
// protocol, which the page's CSP does not govern).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const base = spec.base.replace(/\/$/, '');
const origin = new URL(base).origin;
const out = { scenarios: {}, consoleErrors: [], pageErrors: [], csp: [], blocked: [], badResponses: [], axe: [], screenshots: {} };

// settle waits until the page has no load in flight (body[data-busy]) for a moment.
async function settle(page) {
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction(() => document.body && document.body.dataset.busy === '0', null, { timeout: 20000 });
    await page.waitForTimeout(300);
  }
}

async function open(context, name, url, viewport = DESKTOP) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(`${name}: ${m.text()}`); });
  page.on('pageerror', (e) => out.pageErrors.push(`${name}: ${e.message}`));
  page.on('response', (r) => {
    if (r.url().startsWith(origin) && r.status() >= 400) out.badResponses.push(`${name}: ${r.status()} ${r.url()}`);
  });
  if (url) {
    await page.goto(base + url);
    await settle(page);
  }
  return page;
}

// view is what the main view shows: the URL, the filters, the events in view and the
// chosen event's title.
async function view(page) {
  return page.evaluate(() => ({
    search: location.search,
    types: [...document.querySelectorAll('input[name="type"]:checked')].map((i) => i.value),
    statuses: [...document.querySelectorAll('input[name="status"]:checked')].map((i) => i.value),
    chips: [...document.querySelectorAll('#actor-chips .chip > span')].map((c) => c.textContent),
    lanes: document.getElementById('lanes-input').value,
    q: document.getElementById('q-input').value,
    list: [...document.querySelectorAll('#event-list .what')].map((e) => e.textContent),
    current: (document.querySelector('#event-list [aria-current="true"] .what') || {}).textContent || '',
    items: [...document.querySelectorAll('#timeline .vis-item .vis-item-content')].map((e) => e.textContent),
    laneLabels: [...document.querySelectorAll('#timeline .vis-label .vis-inner')].map((e) => e.textContent),
    detail: document.getElementById('detail').hidden ? '' : (document.getElementById('detail-title') || {}).textContent || '',
    summary: document.getElementById('summary').textContent,
  }));
}

// detail reads the detail panel.
async function detail(page) {
  return page.evaluate(() => {
    const d = document.getElementById('detail');
    const text = (el, sel) => { const x = el.querySelector(sel); return x ? x.textContent.trim() : ''; };
    return {
      title: text(d, '#detail-title'),
      kicker: text(d, '.kicker'),
      humanDate: text(d, '.human-date'),
      edtf: text(d, '.edtf'),
      place: text(d, '.place'),
      participants: [...d.querySelectorAll('li.participant')].map((li) => ({
        name: text(li, '.name'), href: (li.querySelector('.name a') || {}).href || '', role: text(li, '.role').replace(/^· /, ''),
        represents: text(li, '.represents a'),
      })),
      statements: [...d.querySelectorAll('li.statement')].map((li) => ({
        text: text(li, 'blockquote, .paraphrase'), quote: !!li.querySelector('blockquote'),
        speaker: text(li, '.speaker a'), attribution: text(li, '.attribution'), medium: text(li, '.medium').replace(/^, /, ''),
      })),
      sources: [...d.querySelectorAll('li.source')].map((li) => ({
        label: text(li, '.label, a.external'), href: (li.querySelector('a.external') || {}).href || '',
        cites: text(li, '.cites'), evidence: text(li, '.evidence'), events: (li.querySelector('.source-links a') || {}).href || '',
      })),
      rounds: [...d.querySelectorAll('.rounds a')].map((a) => a.textContent),
      parent: text(d, '.parent a'),
      related: [...d.querySelectorAll('.relations li')].map((li) => li.textContent.trim()),
      markers: Number((d.querySelector('.map') || { dataset: {} }).dataset.markers || -1),
    };
  });
}

// The scenarios to run: spec.only, or all but those that need data of their own.
const OWN_DATA = ['hostile'];
const runs = (name) => (spec.only ? spec.only.includes(name) : !OWN_DATA.includes(name));

async function scenario(name, fn) {
  if (!runs(name)) return;
  try {
    out.scenarios[name] = await fn();
  } catch (e) {
    out.scenarios[name] = { error: String((e && e.stack) || e) };
  }
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  out.axe.push({
    name,
    violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })),
  });
}

async function shot(page, name) {
  const file = path.join(spec.out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  out.screenshots[name] = file;
}

async function clickItem(page, text) {
  const item = page.locator('#timeline .vis-item', { hasText: text }).first();
  await item.click({ position: { x: 2, y: 4 } });
  await settle(page);
}

async function main() {
  fs.mkdirSync(spec.out, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-viewer-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: DESKTOP,
    acceptDownloads: true,
    timeout: 60000,
  });
  try {
    out.browserVersion = context.browser() ? context.browser().version() : '';
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/')) return route.continue();
      out.blocked.push(url);
      return route.abort();
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });

    // A participant picked from the name search.
    await scenario('filter-participant', async () => {
      const page = await open(context, 'filter-participant', '/');
      const before = await view(page);
      await page.locator('#actor-input').pressSequentially('zel', { delay: 30 });
      await page.waitForSelector('#actor-options [role="option"][data-slug]');
      const options = await page.locator('#actor-options [role="option"] .name').allTextContents();
      const expanded = await page.getAttribute('#actor-input', 'aria-expanded');
      await page.keyboard.press('Enter');
      await settle(page);
      const after = await view(page);
      await page.close();
      return { before, options, expanded, after };
    });

    // The Abu Dhabi talks, chosen on the timeline: participants, quotes, sources, rounds,
    // the map; then the Meduza source's events.
    await scenario('abu-dhabi', async () => {
      const page = await open(context, 'abu-dhabi', '/');
      const styles = await page.evaluate(() => {
        const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right }; };
        const item = (t) => [...document.querySelectorAll('#timeline .vis-item')].find((e) => e.textContent.includes(t));
        const res = {};
        for (const [k, t] of [['month', 'Putin–Trump summit'], ['approximate', 'Putin meets Witkoff'], ['day', 'Zelensky meets Trump']]) {
          const el = item(t);
          res[k] = el ? { className: el.className, border: getComputedStyle(el).borderTopStyle, content: el.textContent, ...box(el) } : null;
        }
        const minor = [...document.querySelectorAll('#timeline .vis-time-axis .vis-text.vis-minor')];
        const tick = (label) => { const m = minor.find((e) => e.textContent.trim() === label); return m ? m.getBoundingClientRect().left : null; };
        res.axis = { aug: tick('Aug'), sep: tick('Sep') };
        return res;
      });
      await clickItem(page, 'United States trilateral peace talks in Abu Dhabi');
      await page.waitForSelector('#detail .map[data-markers]', { timeout: 10000 }).catch(() => {});
      const d = await detail(page);
      const v = await view(page);
      await axe(page, 'main-with-detail-desktop');
      await shot(page, 'viewer-desktop');
      const source = page.locator('#detail li.source', { hasText: 'Meduza' }).locator('.source-links a');
      await source.click();
      await settle(page);
      const bySource = await view(page);
      await page.close();
      return { styles, detail: d, view: v, bySource };
    });

    // From the Moscow meeting to the Kremlin aide's own view, and from there to the
    // Anchorage summit.
    await scenario('kremlin-aide', async () => {
      const page = await open(context, 'kremlin-aide', '/?event=putin-witkoff-kushner-moscow-meeting');
      const moscow = await detail(page);
      await page.locator('#detail li.statement .speaker a', { hasText: 'Yuri Ushakov' }).first().click();
      await settle(page);
      const actor = await page.evaluate(() => {
        const v = document.getElementById('actor-view');
        return {
          search: location.search,
          hidden: v.hidden,
          timelineHidden: document.getElementById('timeline-view').hidden,
          name: (v.querySelector('h2') || {}).textContent || '',
          facts: (v.querySelector('.actor-facts') || {}).textContent || '',
          counts: [...v.querySelectorAll('.counts li')].map((li) => li.textContent),
          statements: [...v.querySelectorAll('.statements li')].map((li) => (li.querySelector('blockquote, .paraphrase') || {}).textContent),
          mentions: [...v.querySelectorAll('.mentions a')].map((a) => a.textContent),
          lanes: [...v.querySelectorAll('.vis-label .vis-inner')].map((e) => e.textContent),
          items: [...v.querySelectorAll('.vis-item .vis-item-content')].map((e) => e.textContent),
        };
      });
      await axe(page, 'actor-desktop');
      await shot(page, 'viewer-desktop-actor');
      await page.locator('#actor-view .mentions a', { hasText: 'Alaska' }).click();
      await settle(page);
      const anchorage = await detail(page);
      const selected = await page.evaluate(() => {
        const el = document.querySelector('#actor-view .vis-item.vis-selected');
        return el ? { className: el.className, content: el.textContent } : null;
      });
      const search = await page.evaluate(() => location.search);
      await page.close();
      return { moscow, actor, anchorage, selected, search };
    });

    // A view made with the form, opened again from its URL in a new tab.
    await scenario('shared-url', async () => {
      const page = await open(context, 'shared-url', '/');
      await page.selectOption('#lanes-input', 'type');
      await settle(page);
      await page.check('input[name="status"][value="held"]');
      await settle(page);
      await page.locator('#event-list button', { hasText: 'day 1' }).click();
      await settle(page);
      const first = await view(page);
      const firstDetail = await detail(page);
      const url = page.url();
      const again = await open(context, 'shared-url-again', url.slice(origin.length));
      const second = await view(again);
      const secondDetail = await detail(again);
      await page.close();
      await again.close();
      return { url, first, second, firstDetail, secondDetail };
    });

    // Back and Forward through a filter and a chosen event.
    await scenario('history', async () => {
      const page = await open(context, 'history', '/');
      const steps = [await view(page)];
      await page.check('input[name="type"][value="meeting"]');
      await settle(page);
      steps.push(await view(page));
      await page.locator('#event-list button').first().click();
      await settle(page);
      steps.push(await view(page));
      for (const move of ['back', 'back', 'forward', 'forward']) {
        if (move === 'back') await page.goBack();
        else await page.goForward();
        await settle(page);
        steps.push(await view(page));
      }
      await page.close();
      return { steps };
    });

    // The keyboard: into the timeline, → → ← between events, Escape.
    await scenario('keyboard', async () => {
      const page = await open(context, 'keyboard', '/');
      await page.focus('#timeline');
      const titles = [];
      for (const key of ['ArrowRight', 'ArrowRight', 'ArrowLeft']) {
        await page.keyboard.press(key);
        await settle(page);
        titles.push((await view(page)).detail);
      }
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      await page.keyboard.press('Escape');
      await settle(page);
      const closed = (await view(page)).detail;
      await page.close();
      return { titles, focused, closed };
    });

    // Every download button of a selection.
    await scenario('export', async () => {
      const page = await open(context, 'export', '/?type=negotiation');
      const files = {};
      for (const a of await page.locator('#export-links a').all()) {
        const format = await a.getAttribute('data-format');
        const [dl] = await Promise.all([page.waitForEvent('download'), a.click()]);
        const file = path.join(spec.out, `export-${format}`);
        await dl.saveAs(file);
        files[format] = { file, suggested: dl.suggestedFilename() };
      }
      const v = await view(page);
      await page.close();
      return { files, view: v };
    });

    // The selection in TimelineJS.
    await scenario('timelinejs', async () => {
      const page = await open(context, 'timelinejs', '/');
      const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#open-timelinejs')]);
      tab.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(`timelinejs: ${m.text()}`); });
      tab.on('pageerror', (e) => out.pageErrors.push(`timelinejs: ${e.message}`));
      await tab.waitForLoadState('load');
      await tab.waitForSelector('.tl-timemarker', { state: 'attached', timeout: 20000 });
      await tab.waitForTimeout(1500);
      const r = await tab.evaluate(() => ({
        url: location.pathname + location.search,
        markers: [...document.querySelectorAll('.tl-timemarker')].map((m) => m.id.replace(/-marker$/, '')),
        headlines: [...document.querySelectorAll('.tl-slide .tl-headline')].map((h) => h.textContent),
        status: document.getElementById('tl-status').textContent,
      }));
      await shot(tab, 'timelinejs');
      await tab.close();
      await page.close();
      return r;
    });

    // A phone's width: the same story, one column.
    await scenario('phone', async () => {
      const page = await open(context, 'phone', '/?event=abu-dhabi-trilateral-talks', PHONE);
      await page.waitForSelector('#detail .map[data-markers]', { timeout: 10000 }).catch(() => {});
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        filtersOpen: document.getElementById('filter-box').open,
        detailBelow: document.getElementById('detail').getBoundingClientRect().top >= document.getElementById('timeline').getBoundingClientRect().bottom,
      }));
      const d = await detail(page);
      await axe(page, 'main-with-detail-phone');
      await shot(page, 'viewer-phone');
      await page.goto(base + '/?who=vladimir-putin');
      await settle(page);
      const actorLayout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      await axe(page, 'actor-phone');
      await shot(page, 'viewer-phone-actor');
      await page.close();
      return { layout, actorLayout, detail: d };
    });

    // Data written to run as markup (api/viewer_test.go makes it): shown as text, never run.
    await scenario('hostile', async () => {
      const pwned = async (page) => page.evaluate(() => window.__parleyPwned === true);
      const page = await open(context, 'hostile', '/?event=hostile-event');
      await page.waitForSelector('#detail .map[data-markers]', { timeout: 10000 }).catch(() => {});
      const d = await detail(page);
      const v = await view(page);
      await page.hover('#timeline .vis-item');
      await page.waitForTimeout(800);
      const tooltip = await page.evaluate(() => [...document.querySelectorAll('div.vis-tooltip')].map((e) => e.textContent).join(' '));
      const seen = [await pwned(page)];
      await page.goto(base + '/?who=hostile-actor');
      await settle(page);
      const actor = await page.evaluate(() => ({
        name: (document.querySelector('#actor-view h2') || {}).textContent || '',
        co: [...document.querySelectorAll('#actor-view table.co th[scope="row"]')].map((e) => e.textContent),
        statements: [...document.querySelectorAll('#actor-view .statements li')].map((e) => e.textContent),
      }));
      seen.push(await pwned(page));
      await page.goto(base + '/');
      await settle(page);
      await page.locator('#actor-input').pressSequentially('img', { delay: 30 });
      await page.waitForSelector('#actor-options [role="option"]');
      await page.waitForTimeout(300);
      const options = await page.locator('#actor-options [role="option"] .name').allTextContents();
      await page.keyboard.press('Enter');
      await settle(page);
      const chips = (await view(page)).chips;
      seen.push(await pwned(page));
      await page.close();
      return { detail: d, view: v, tooltip, actor, options, chips, pwned: seen.some(Boolean) };
    });
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(1);
});
