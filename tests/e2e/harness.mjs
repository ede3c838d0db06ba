// What the demo page's end-to-end tests share: the page served on 127.0.0.1
// by scripts/serve.mjs, Debian's headless Chromium via playwright-core, a
// fresh page per test (its own storage) that records console errors and
// requests leaving 127.0.0.1, screenshots at the two widths.
import { before, after } from 'node:test';
import { readFileSync, mkdirSync } from 'node:fs';
import { listen } from '../../scripts/serve.mjs';

export const root = new URL('../../', import.meta.url);
export const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
export const fixture = (name) => new URL(`tests/fixtures/${name}`, root).pathname;
const artifacts = new URL('tests/artifacts/', root);
mkdirSync(artifacts, { recursive: true });

/** The two widths the page is checked at. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export const env = { base: '', browser: null };
let server;

before(async () => {
  server = await listen(0);
  env.base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  env.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await env.browser?.close();
  server?.close();
});

/** A fresh page (own storage unless a context is given) at `path`, ready. */
export async function open({ context, viewport = DESKTOP, path = '/' } = {}) {
  const ctx = context ?? (await env.browser.newContext({ viewport }));
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('request', (r) => !r.url().startsWith(env.base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:') && problems.push(`request left 127.0.0.1: ${r.url()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(`${env.base}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, ctx, problems };
}

/** Saves a screenshot to tests/artifacts/NAME-WIDTH.png. */
export async function shot(page, name, fullPage = true) {
  const { width } = page.viewportSize();
  await page.screenshot({ path: new URL(`${name}-${width}.png`, artifacts).pathname, fullPage });
}

/** Goes to a view by its tab and waits until it is drawn. */
export async function view(page, name) {
  await page.click(`.tab[data-view="${name}"]`);
  await page.waitForFunction((v) => document.body.dataset.shown?.startsWith(`${v}:`), name);
}

/** Waits until the portfolio table shows `order|band|segment|page`. */
export async function drawn(page, order = 'score', band = '', segment = '', pageNo = 0) {
  await page.waitForSelector(`#accounts[data-drawn="${order}|${band}|${segment}|${pageNo}"]`, { state: 'attached' });
}

/** The page's horizontal overflow: how far the document is wider than the viewport. */
export function overflow(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
}

/** Imports a CSV (text) through the Import view, all the way: mapping, check, confirm. */
export async function importCsv(page, name, text) {
  await view(page, 'import');
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForSelector('#mapping:not([hidden])');
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  await page.click('#confirm-import');
  await page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent));
}
