// The page side of bench/browser-vs-plain-js.mjs: runs bench/bench12.mjs in
// the browser with the package's browser entry point and reports to
// window.benchResult (or window.benchError).
import * as api from '/pkg/index.browser.mjs';
import { createBindings } from '/pkg/web/customer_health.js';
import { run } from '/bench/bench12.mjs';

const q = new URLSearchParams(location.search);
try {
  await api.init();
  const raw = createBindings();
  await raw.init();
  const doc = await (await fetch('/bench/bench12.model.json')).json();
  // performance.memory (Chromium) for the heap per scorecard.
  // (Chromium is started with --js-flags=--expose-gc, so the figure is after a collection.)
  const heap = performance.memory && typeof gc === 'function' ? () => (gc(), performance.memory.usedJSHeapSize) : undefined;
  const result = run({ api, raw, doc, n: Number(q.get('n') ?? 1_000_000), rounds: Number(q.get('rounds') ?? 7), heap });
  document.getElementById('out').textContent = JSON.stringify(result, null, 2);
  window.benchResult = result;
} catch (e) {
  window.benchError = `${e?.stack ?? e}`;
}
