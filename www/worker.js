// Import worker: parses a CSV and checks every row against the model off the
// main thread, posting progress, so large files do not freeze the page.
import { init, HealthModel } from '/pkg/index.browser.mjs';
import { parseCsv, cellValue } from './csv.js';

self.onmessage = async ({ data }) => {
  try {
    await init();
    const model = new HealthModel(data.model);
    const types = new Map(model.toJSON().categories.flatMap((c) => c.measures.map((m) => [m.id, m.rule.type])));
    const { header, rows } = parseCsv(data.text);
    const col = (name) => (name ? header.indexOf(name) : -1);
    const map = data.mapping;
    const idCol = col(map.id);
    const fields = { name: col(map.name), segment: col(map.segment), value: col(map.value) };
    const measures = Object.entries(map.measures).map(([id, name]) => [id, col(name)]).filter(([, c]) => c >= 0);
    const accounts = [];
    const errors = [];
    const CHUNK = 500;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK).map((cells, k) => {
        const row = start + k;
        const account = { id: idCol >= 0 && cells[idCol] ? cells[idCol] : `row-${row + 2}`, values: {} };
        if (fields.name >= 0 && cells[fields.name]) account.name = cells[fields.name];
        if (fields.segment >= 0 && cells[fields.segment]) account.segment = cells[fields.segment];
        if (fields.value >= 0 && cells[fields.value] !== undefined && cells[fields.value].trim() !== '') {
          const v = Number(cells[fields.value]);
          account.value = Number.isNaN(v) ? cells[fields.value] : v;
        }
        for (const [id, c] of measures) account.values[id] = cellValue(types.get(id), cells[c]);
        return account;
      });
      const batch = model.scoreMany(chunk);
      batch.scorecards.forEach((card, k) => {
        if (card) accounts.push(chunk[k]);
      });
      for (const e of batch.errors) {
        errors.push({ row: start + e.index + 2, path: e.path.replace(/^\[\d+\]\.?/, ''), message: e.message, code: e.code });
      }
      self.postMessage({ type: 'progress', done: Math.min(start + CHUNK, rows.length), total: rows.length });
    }
    self.postMessage({ type: 'done', accounts, errors, total: rows.length });
  } catch (e) {
    self.postMessage({ type: 'failed', message: e.message, code: e.code ?? 'error' });
  }
};
