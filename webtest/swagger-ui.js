#!/usr/bin/env node
// swagger-ui.js does in Debian's Chromium (through playwright-core) what a newcomer does
// in parley's Swagger UI: Authorize with an API key, then "Try it out" and "Execute" on
// creates, sending the example body the UI fills in unchanged. It prints one JSON result
// on stdout: for each operation, the status and body of the answer the UI shows.
//
//   PARLEY_KEY=parley_… node swagger-ui.js BASE_URL OPERATION_ID...   (e.g. createEvent createStatement)
//
// Environment: PARLEY_KEY (a write key, as `parley keys create` prints it), CHROMIUM
// (default /usr/bin/chromium), SCREENSHOT (a path: the page at the end).
// Requests to anything but BASE_URL are blocked and listed in the result.
// api/npm_test.go (TestSwaggerUIWrites) runs it. Exit status: 0 when it ran, 1 on a crash.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TIMEOUT = 30000;

async function tryOut(page, id) {
  // Swagger UI gives each operation the id operations-{tag}-{operationId}.
  const op = page.locator(`[id^="operations-"][id$="-${id}"]`).first();
  await op.locator('.opblock-summary').first().click();
  await op.locator('button.try-out__btn').click();
  const body = await op.locator('textarea.body-param__text').inputValue();
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: TIMEOUT });
  const answer = await op.locator('.live-responses-table .response .response-col_description pre').first().textContent();
  return { id, sent: body, status: Number((await status.textContent()).trim()), answer };
}

async function main() {
  const [base, ...ids] = process.argv.slice(2);
  const key = process.env.PARLEY_KEY;
  if (!base || !key || ids.length === 0) {
    process.stderr.write('usage: PARLEY_KEY=… node swagger-ui.js BASE_URL OPERATION_ID...\n');
    process.exit(2);
  }
  const origin = new URL(base).origin;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  const out = { results: [], blocked: [], pageErrors: [] };
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true, args: FLAGS, viewport: { width: 1400, height: 900 }, timeout: 60000,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
      out.blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => out.pageErrors.push(e.message));
    await page.goto(base + '/swagger/index.html', { waitUntil: 'load', timeout: TIMEOUT });
    await page.locator('.opblock').first().waitFor({ timeout: TIMEOUT });
    out.title = await page.locator('.info .title').first().textContent();

    // Authorize: the dialog lists the bearer scheme; the key goes in as printed.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input').first().fill(key);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('button.btn-done').click();
    out.locks = await page.locator('.authorization__btn.locked').count();

    for (const id of ids) {
      try {
        out.results.push(await tryOut(page, id));
      } catch (e) {
        out.results.push({ id, error: String((e && e.stack) || e) });
      }
    }
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
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
