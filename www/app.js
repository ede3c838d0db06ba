// The demo page's start-up: asks the engine (a worker that owns the
// portfolio) to start, wires the views, the banner and the router. Views
// share state through state.js and never import this module.
import { ask } from './client.js';
import { $, h, clear } from './dom.js';
import { state, on, emit, banner } from './state.js';
import { setupRouter, go } from './router.js';
import { setupPortfolio } from './portfolio.js';
import { setupAccount } from './account.js';
import { setupEditor } from './editor.js';
import { setupImport } from './importer.js';
import { setupCalibration } from './calibration.js';

// Messages stack while the banner is open (several problems at start-up
// are all shown); Dismiss clears them.
on('banner', ({ text, actions }) => {
  const shown = !$('#banner').hidden;
  const p = $('#banner-text');
  if (shown) p.append(h('br'), text);
  else p.textContent = text;
  const box = $('#banner-actions');
  if (!shown) clear(box);
  for (const [label, fn] of actions) box.append(h('button', { onclick: fn }, label));
  $('#banner').hidden = false;
});
on('overview', (o) => {
  state.overview = o;
  $('#model-name').textContent = `${o.name} · ${o.hash.slice(0, 10)}`;
});

async function start() {
  $('#banner-close').addEventListener('click', () => {
    $('#banner').hidden = true;
  });
  const started = await ask('start');
  Object.assign(state, { presets: started.presets, sample: started.sample, limits: started.limits, versions: started.versions });
  const overview = await ask('overview');
  setupPortfolio();
  setupAccount();
  setupEditor(started.draft);
  setupImport();
  setupCalibration();
  emit('overview', overview);
  const aside = started.problems.filter((p) => p.quarantine);
  for (const p of started.problems.filter((x) => !x.quarantine)) banner(p.message);
  if (aside.length > 0) {
    banner(aside[0].message, [['Delete the set-aside entries', () => {
      ask('forgetQuarantine').then(() => {
        $('#banner').hidden = true;
      }, (e) => banner(`The set-aside entries could not be deleted (${e.code}): ${e.message}`));
    }]]);
  }
  setupRouter();
  await go();
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  banner(`The page could not start (${e.code ?? 'error'}): ${e.message}. Reload the page.`);
});
