#!/usr/bin/env node
// load.mjs measures the timeline viewer on a large database in Debian's Chromium
// (playwright-core): the time to the first drawn timeline, then the longest main-thread
// task (the Long Tasks API) while it pans and zooms with the mouse and the zoom buttons.
// It prints one JSON report; api/viewer_test.go logs the figures (it does not assert a
// time: the machine decides them).
//
//   node e2e/load.mjs SPEC.json
//
// SPEC.json: {"base": "http://127.0.0.1:PORT", "out": "/dir", "moves": 12}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const base = spec.base.replace(/\/$/, '');
const origin = new URL(base).origin;
const out = { consoleErrors: [], pageErrors: [], blocked: [], badResponses: [] };

async function settle(page) {
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction(() => document.body && document.body.dataset.busy === '0', null, { timeout: 60000 });
    await page.waitForTimeout(300);
  }
}

async function main() {
  fs.mkdirSync(spec.out, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-load-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
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
      window.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => out.pageErrors.push(e.message));
    page.on('response', (r) => { if (r.url().startsWith(origin) && r.status() >= 400) out.badResponses.push(`${r.status()} ${r.url()}`); });

    await page.goto(base + '/');
    await page.waitForFunction(() => performance.getEntriesByName('parley:first-render').length > 0, null, { timeout: 120000 });
    await settle(page);
    Object.assign(out, await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const api = res.filter((r) => r.name.includes('/api/v1/'));
      return {
        firstRenderMs: performance.getEntriesByName('parley:first-render')[0].startTime,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        loadMs: nav.loadEventEnd,
        initialRequests: res.length,
        initialTransferBytes: res.reduce((n, r) => n + (r.transferSize || 0), 0) + (nav.transferSize || 0),
        initialApi: api.map((r) => ({ url: r.name.replace(location.origin, ''), ms: Math.round(r.duration), bytes: r.transferSize })),
        initialLongest: Math.max(0, ...window.__longtasks.map((t) => t.duration)),
        summary: document.getElementById('summary').textContent,
        itemsDrawn: document.querySelectorAll('#timeline .vis-item').length,
        itemsLoaded: window.parleyViewer.main.timeline.items.length,
      };
    }));

    // Pan and zoom as a person would: drags, Ctrl+wheel, the zoom buttons.
    const mark = await page.evaluate(() => performance.now());
    const box = await page.locator('#timeline .vis-center').boundingBox();
    const y = box.y + Math.min(120, box.height / 2);
    const moves = spec.moves || 12;
    const windows = [];
    for (let i = 0; i < moves; i++) {
      const dir = i % 4 < 2 ? 1 : -1;
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + dir * box.width * 0.4, y, { steps: 12 });
      await page.mouse.up();
      await page.waitForTimeout(250);
      await page.mouse.move(box.x + box.width / 2, y);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, i % 3 === 2 ? 400 : -300);
      await page.keyboard.up('Control');
      await page.waitForTimeout(250);
      if (i % 4 === 3) {
        await page.click('#zoom-out');
        await page.waitForTimeout(250);
      }
      windows.push(await page.evaluate(() => new URLSearchParams(location.search).get('win')));
    }
    await page.click('#zoom-fit');
    await settle(page);
    Object.assign(out, await page.evaluate((since) => {
      const tasks = window.__longtasks.filter((t) => t.start >= since);
      const api = performance.getEntriesByType('resource').filter((r) => r.startTime >= since && r.name.includes('/api/v1/timeline'));
      return {
        interactionMs: Math.round(performance.now() - since),
        longTasks: tasks.length,
        longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
        longTaskTotalMs: Math.round(tasks.reduce((n, t) => n + t.duration, 0)),
        windowLoads: api.length,
        windowLoadMs: api.map((r) => Math.round(r.duration)),
        finalSummary: document.getElementById('summary').textContent,
        finalItemsLoaded: window.parleyViewer.main.timeline.items.length,
      };
    }, mark));
    out.windows = windows;
    out.screenshot = path.join(spec.out, 'load.png');
    await page.screenshot({ path: out.screenshot });
    await page.close();
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
