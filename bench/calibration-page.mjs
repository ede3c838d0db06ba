// The page side of bench/calibration-speed.mjs: bench/calibration-bench.mjs
// with the package's browser entry point; reports to window.benchResult.
import * as api from '/pkg/index.browser.mjs';
import { run } from '/bench/calibration-bench.mjs';

const q = new URLSearchParams(location.search);
try {
  await api.init();
  await api.initCalibration();
  const result = run(api, { suggestRows: Number(q.get('suggest')), fitRows: Number(q.get('fit')), rounds: Number(q.get('rounds')) });
  document.getElementById('out').textContent = JSON.stringify(result, null, 2);
  window.benchResult = result;
} catch (e) {
  window.benchError = `${e?.stack ?? e}`;
}
