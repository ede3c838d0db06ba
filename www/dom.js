// Small DOM helpers. Every value that came from data is set as text
// (textContent or attribute values), never parsed as HTML.
const SVG = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** An HTML element: h('td', { class: 'num' }, 'text', child). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** An SVG element. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);

export const $ = (sel) => document.querySelector(sel);

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export const fmt1 = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1));
export const money = (x) => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
export const pct = (x) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);

/** A band chip: colour and its label (never colour alone). */
export function chip(band) {
  return h('span', { class: 'chip', 'data-band': band.id }, band.label);
}

/** Colours chips after creation (style attributes are allowed by the CSP; inline <style> is not needed). */
export function paint(node, color) {
  node.style.background = color;
  return node;
}

/** Offers text as a file download. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
