#!/usr/bin/env node
// render.js loads parley's timeline documents into TimelineJS and vis-timeline in
// Debian's Chromium (through playwright-core; it never downloads a browser), counts what
// each library rendered, takes screenshots, and prints one JSON result on stdout.
//
//   node render.js JOBS.json
//
// JOBS.json: {"page": "http://127.0.0.1:PORT/timeline.html",
//             "timezone": "Asia/Tokyo",         (the browser's time zone; optional)
//             "jobs": [{"name": "...", "kind": "timelinejs"|"vis",
//                       "doc": "/path/doc.json", "screenshot": "/path/out.png",
//                       "focus": "slug"}]}      (focus: TimelineJS slide to show; optional)
// Environment: CHROMIUM (default /usr/bin/chromium), RENDER_TIMEOUT_MS (default 30000).
//
// Requests to anything but the page's own server are blocked and listed in the result.
// Exit status: 0 when every job ran (the caller judges the counts), 1 on a crash.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

async function runJob(context, spec, job, out) {
  const doc = JSON.parse(fs.readFileSync(job.doc, 'utf8'));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(`${job.name}: ${m.text()}`); });
  page.on('pageerror', (e) => out.pageErrors.push(`${job.name}: ${e.message}`));
  const res = { name: job.name, kind: job.kind, screenshot: job.screenshot };
  const timeout = Number(process.env.RENDER_TIMEOUT_MS || 30000);
  const settle = 5000; // after the library says it is done, for the counts to reach the expected ones
  try {
    await page.goto(spec.page, { waitUntil: 'load', timeout });
    if (job.kind === 'timelinejs') {
      const expected = (doc.events || []).length;
      await page.evaluate((d) => window.renderTimelineJS(d), doc);
      await page.waitForFunction((n) => document.querySelectorAll('.tl-timemarker').length >= n,
        expected, { timeout: settle }).catch(() => {});
      if (job.focus) await page.evaluate((id) => window.parleyTimeline.goToId(id), job.focus);
      await page.waitForTimeout(1500); // the slide's animation
      Object.assign(res, await page.evaluate(() => ({
        markers: document.querySelectorAll('.tl-timemarker').length,
        markerIds: [...document.querySelectorAll('.tl-timemarker')].map((m) => m.id.replace(/-marker$/, '')),
        slides: document.querySelectorAll('.tl-slide').length,
        groups: [...document.querySelectorAll('.tl-timegroup-message')].map((g) => g.textContent),
        headlines: [...document.querySelectorAll('.tl-slide .tl-headline')].map((h) => h.textContent),
        message: (document.querySelector('.tl-message-content') || {}).textContent || '',
        // Where TimelineJS put each slide: its start as epoch milliseconds (from the
        // date objects TimelineJS built) and its marker's left offset on the time axis.
        starts: Object.fromEntries(window.parleyTimeline.config.events.map(
          (e) => [e.unique_id, e.start_date.getTime()])),
        markerLefts: Object.fromEntries([...document.querySelectorAll('.tl-timemarker')].map(
          (m) => [m.id.replace(/-marker$/, ''), parseFloat(m.style.left)])),
        dateTexts: [...document.querySelectorAll('.tl-slide .tl-headline-date')].map((h) => h.textContent),
      })));
    } else if (job.kind === 'vis') {
      const expected = (doc.items || []).length;
      await page.evaluate((d) => window.renderVis(d), doc);
      const sel = '.vis-item.vis-range, .vis-item.vis-point, .vis-item.vis-box';
      await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length >= n,
        [sel, expected], { timeout: settle }).catch(() => {});
      await page.waitForTimeout(300);
      Object.assign(res, await page.evaluate((s) => {
        const tl = window.parleyVis;
        const items = (tl && tl.itemSet && tl.itemSet.items) || {};
        return {
          itemElements: document.querySelectorAll(s).length,
          visItemElements: document.querySelectorAll('.vis-item').length,
          displayedIds: Object.values(items).filter((it) => it.displayed).map((it) => String(it.id)),
          groupLabels: [...document.querySelectorAll('.vis-label .vis-inner')].map((g) => g.textContent),
          contents: [...document.querySelectorAll('.vis-item .vis-item-content')].map((c) => c.textContent),
        };
      }, sel));
      await page.evaluate(() => window.widenVis(0.6));
      await page.waitForTimeout(300);
    } else {
      throw new Error(`unknown kind ${job.kind}`);
    }
    // Set by the hostile test data if any markup from a document ever runs.
    res.pwned = await page.evaluate(() => window.__parleyPwned === true);
    if (job.screenshot) await page.screenshot({ path: job.screenshot });
  } catch (e) {
    res.error = String((e && e.stack) || e);
  } finally {
    await page.close();
  }
  return res;
}

async function main() {
  if (process.argv.length !== 3) {
    process.stderr.write('usage: node render.js JOBS.json\n');
    process.exit(2);
  }
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const origin = new URL(spec.page).origin;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  const out = { results: [], blocked: [], consoleErrors: [], pageErrors: [] };
  let context;
  try {
    // A persistent context is how playwright takes a --user-data-dir: a new, empty one.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 800 },
      timeout: 60000,
      timezoneId: spec.timezone || undefined,
    });
    out.browserVersion = context.browser() ? context.browser().version() : '';
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
      out.blocked.push(url);
      return route.abort();
    });
    for (const job of spec.jobs) out.results.push(await runJob(context, spec, job, out));
  } finally {
    if (context) await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(1);
});
