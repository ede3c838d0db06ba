// HealthStore in headless Chromium (IndexedDB): versions and undo, two tabs
// appending to one history at once, namespaces that cannot reach each
// other, validated entries, a broken entry quarantined, a full disk.
//   node --test tests/browser/     (after scripts/build-pkg.sh)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
let server;
let browser;
let base;

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>store</title>');
      return;
    }
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(join(root, 'pkg')) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A page with the package loaded as `window.ch`. */
async function page(ctx) {
  const p = await ctx.newPage();
  await p.goto(base);
  await p.evaluate(async () => {
    window.ch = await import('/pkg/index.browser.mjs');
    await window.ch.init();
  });
  return p;
}

const card = (i) => ({ accountId: 'acme', at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`, score: i % 100, band: { id: 'watch' } });

test('models keep their last 20 versions, with undo; a model is validated first', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const out = await p.evaluate(async () => {
    const { HealthStore, presets } = window.ch;
    const s = new HealthStore('versions');
    const versions = [];
    for (let i = 0; i < 22; i++) versions.push(await s.saveModel('main', { ...presets['composite-kpi'], name: `v${i + 1}` }));
    const kept = await s.modelVersions('main');
    const latest = (await s.loadModel('main')).name;
    const undone = (await s.undoModel('main')).name;
    let invalid = null;
    try {
      await s.saveModel('main', { version: 1, id: 'x' });
    } catch (e) {
      invalid = e.code;
    }
    return { versions, kept: kept.map((v) => v.version), latest, undone, after: (await s.loadModel('main')).name, invalid };
  });
  assert.deepEqual(out.versions, Array.from({ length: 22 }, (_, i) => i + 1));
  assert.deepEqual(out.kept, Array.from({ length: 20 }, (_, i) => i + 3));
  assert.equal(out.latest, 'v22');
  assert.equal(out.undone, 'v21');
  assert.equal(out.after, 'v21');
  assert.equal(out.invalid, 'missing_field');
  await ctx.close();
});

test('two tabs appending 150 scorecards each to one history store all 300', async () => {
  const ctx = await browser.newContext();
  const [a, b] = [await page(ctx), await page(ctx)];
  const append = (p, from) => p.evaluate(async (from) => {
    const s = new window.ch.HealthStore('tabs');
    const card = (i) => ({ accountId: 'acme', at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), score: i % 100, band: { id: 'watch' } });
    await Promise.all(Array.from({ length: 150 }, (_, i) => s.appendHistory('acme', card(from + i), 1000)));
  }, from);
  await Promise.all([append(a, 0), append(b, 1000)]);
  const stored = await a.evaluate(async () => (await new window.ch.HealthStore('tabs').loadHistory('acme')).length);
  assert.equal(stored, 300);
  await ctx.close();
});

test('namespaces cannot reach each other; clear empties one namespace only', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const out = await p.evaluate(async () => {
    const { HealthStore } = window.ch;
    const t = new HealthStore('t');
    const tData = new HealthStore('t:data:x');
    await t.saveData('x:data:y', 'first');
    await tData.saveData('y', 'second');
    const shop = new HealthStore('shop');
    const eu = new HealthStore('shop:eu');
    await shop.saveData('a', 1);
    await eu.saveData('a', 2);
    await shop.clear();
    return [await t.loadData('x:data:y'), await tData.loadData('y'), await shop.loadData('a'), await eu.loadData('a')];
  });
  assert.deepEqual(out, ['first', 'second', null, 2]);
  await ctx.close();
});

test('entries are validated; keep must be a whole number from 1', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const codes = await p.evaluate(async () => {
    const s = new window.ch.HealthStore('valid');
    const code = async (fn) => {
      try {
        await fn();
        return 'ok';
      } catch (e) {
        return `${e.code}@${e.path}`;
      }
    };
    const good = { accountId: 'acme', at: '2026-01-01', score: 50, band: { id: 'watch' } };
    return [
      await code(() => s.appendHistory('acme', { foo: 1 })),
      await code(() => s.appendHistory('acme', { ...good, score: 'x' })),
      await code(() => s.appendHistory('acme', good, 0)),
      await code(() => s.appendHistory('acme', good, -1)),
      await code(() => s.appendHistory('acme', good, NaN)),
      await code(() => s.appendHistory('acme', good, 2)),
      await code(() => s.remove('cache', 'x')),
    ];
  });
  assert.deepEqual(codes, ['invalid_value@accountId', 'invalid_value@score', 'invalid_value@keep', 'invalid_value@keep', 'invalid_value@keep', 'ok', 'invalid_value@kind']);
  await ctx.close();
});

test('a broken entry is quarantined and reported; another format is refused; the rest is kept', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const out = await p.evaluate(async () => {
    const { HealthStore } = window.ch;
    const s = new HealthStore('broken');
    await s.saveData('keep', [1, 2, 3]);
    await s.saveData('bad', 'x');
    await s.saveData('future', 'x');
    // Written behind the store's back.
    await new Promise((ok) => {
      const req = indexedDB.open('customer-health/broken', 1);
      req.onsuccess = () => {
        const tx = req.result.transaction('data', 'readwrite');
        tx.objectStore('data').put('{ broken', 'bad');
        tx.objectStore('data').put({ format: 9, kind: 'data', data: 1 }, 'future');
        tx.oncomplete = () => {
          req.result.close();
          ok();
        };
      };
    });
    const code = async (fn) => {
      try {
        await fn();
        return 'ok';
      } catch (e) {
        return `${e.code}@${e.path}`;
      }
    };
    return {
      bad: await code(() => s.loadData('bad')),
      again: await s.loadData('bad'),
      future: await code(() => s.loadData('future')),
      keep: await s.loadData('keep'),
      quarantined: (await s.quarantined()).map((q) => [q.store, q.key, q.entry]),
      forgotten: await s.clearQuarantine(),
      after: (await s.quarantined()).length,
      keptAfter: await s.loadData('keep'),
    };
  });
  assert.equal(out.bad, 'corrupt_storage@data.bad');
  assert.equal(out.again, null);
  assert.equal(out.future, 'unsupported_storage_format@data.future');
  assert.deepEqual(out.keep, [1, 2, 3]);
  assert.deepEqual(out.quarantined, [['data', 'bad', '{ broken']]);
  // Forgetting the quarantine deletes the set-aside entry and nothing else.
  assert.equal(out.forgotten, 1);
  assert.equal(out.after, 0);
  assert.deepEqual(out.keptAfter, [1, 2, 3]);
  await ctx.close();
});

test('a full disk is a clear error and what was saved stays', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const out = await p.evaluate(async () => {
    const s = new window.ch.HealthStore('full');
    await s.saveData('portfolio', { accounts: [1, 2] });
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    };
    let err;
    try {
      await s.saveData('portfolio', { accounts: new Array(100).fill(0) });
    } catch (e) {
      err = { code: e.code, message: e.message };
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    return { err, kept: await s.loadData('portfolio') };
  });
  assert.equal(out.err.code, 'storage_full');
  assert.match(out.err.message, /full/);
  assert.deepEqual(out.kept, { accounts: [1, 2] });
  await ctx.close();
});

test('a write that fails without a message still says why, and what was saved stays', async () => {
  const ctx = await browser.newContext();
  const p = await page(ctx);
  const out = await p.evaluate(async () => {
    const s = new window.ch.HealthStore('silent');
    await s.saveData('portfolio', { accounts: [1, 2] });
    const put = IDBObjectStore.prototype.put;
    // As Chromium fails a value too large to write: an UnknownError with no message.
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('', 'UnknownError');
    };
    let err;
    try {
      await s.saveData('portfolio', { accounts: new Array(100).fill(0) });
    } catch (e) {
      err = { code: e.code, message: e.message, help: e.help };
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    return { err, kept: await s.loadData('portfolio') };
  });
  assert.equal(out.err.code, 'storage_unavailable');
  assert.match(out.err.message, /failed \(UnknownError\)$/);
  assert.match(out.err.help, /very large portfolio/);
  assert.deepEqual(out.kept, { accounts: [1, 2] });
  await ctx.close();
});
