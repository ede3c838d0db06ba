// Views by URL: #/portfolio, #/account/<id>, #/model, #/import,
// #/calibration. Back and forward work; a view that is opened scrolls to
// its top and moves keyboard focus to its heading.
import { $ } from './dom.js';
import { emit, banner } from './state.js';

const views = ['portfolio', 'account', 'model', 'import', 'calibration'];
let lastAccount = null;

/** The view and its argument of the current URL. */
export function route() {
  const m = /^#\/([a-z]+)(?:\/(.*))?$/.exec(location.hash);
  if (!m || !views.includes(m[1])) return { view: 'portfolio', arg: null };
  if (m[2] === undefined) return { view: m[1], arg: null };
  let arg;
  try {
    arg = decodeURIComponent(m[2]);
  } catch {
    arg = m[2]; // a broken %-escape: the text as it is (no such account)
  }
  return { view: m[1], arg };
}

/** The URL of an account. */
export const accountHref = (id) => `#/account/${encodeURIComponent(id)}`;

/** Shows the view of the current URL. */
export async function go({ focus = false } = {}) {
  const { view, arg } = route();
  for (const v of views) {
    $(`#view-${v}`).hidden = v !== view;
    document.querySelector(`.tab[data-view="${v}"]`).setAttribute('aria-current', v === view ? 'page' : 'false');
  }
  document.body.dataset.view = view;
  if (view === 'account') {
    lastAccount = arg ?? lastAccount;
    document.querySelector('.tab[data-view="account"]').href = lastAccount ? accountHref(lastAccount) : '#/account';
  }
  // Views render themselves; a view may be slow to fill (it asks the engine).
  const shown = [];
  emit('show', { view, arg: view === 'account' ? lastAccount : arg, wait: (p) => shown.push(p) });
  await Promise.all(shown);
  if (focus) {
    window.scrollTo(0, 0);
    $(`#h-${view}`).focus({ preventScroll: true });
  }
  document.body.dataset.shown = `${view}:${arg ?? ''}`;
}

export function setupRouter() {
  window.addEventListener('hashchange', () => {
    go({ focus: true }).catch((e) => banner(`The view could not be shown (${e.code ?? 'error'}): ${e.message}`));
  });
  $('#skip').addEventListener('click', (e) => {
    e.preventDefault();
    const { view } = route();
    $(`#h-${view}`).focus();
  });
}
