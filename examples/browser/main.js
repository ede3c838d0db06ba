// A minimal page: loads the package, scores the sample portfolio and shows a
// table. Serve the repository root (after scripts/build-pkg.sh) and open
// /examples/browser/, e.g.:  python3 -m http.server -b 127.0.0.1 8000
import { init, HealthModel } from '../../pkg/index.browser.mjs';

const status = document.querySelector('#status');
try {
  await init();
  const [modelDoc, portfolio] = await Promise.all([
    fetch('../../samples/model.json').then((r) => r.json()),
    fetch('../../samples/portfolio.json').then((r) => r.json()),
  ]);
  const model = new HealthModel(modelDoc);
  const { scorecards, summary } = model.scoreMany(portfolio.accounts);
  const tbody = document.querySelector('#rows');
  for (const card of scorecards.filter(Boolean).sort((a, b) => (a.score ?? -1) - (b.score ?? -1))) {
    const tr = document.createElement('tr');
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.style.background = card.band.color;
    chip.textContent = card.band.label; // text, never colour alone
    const cells = [card.name ?? card.accountId, card.score === null ? '—' : card.score.toFixed(1), chip, card.levers[0]?.measureId ?? ''];
    for (const c of cells) {
      const td = document.createElement('td');
      if (typeof c === 'string') td.textContent = c;
      else td.append(c);
      tr.append(td);
    }
    tbody.append(tr);
  }
  status.textContent = `${summary.count} accounts, mean score ${summary.mean.toFixed(1)}`;
} catch (e) {
  status.textContent = `Error: ${e.message}`;
}
