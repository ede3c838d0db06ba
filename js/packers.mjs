// Packers: account objects' values written straight into the column
// staging memory (no JSON), for the columnar kernel; and the account-level
// fields a scorecard carries, read where they are plainly valid (anything
// else sends the account through the JSON path, which reports it exactly).

import { wellFormed } from './codec.mjs';

/**
 * Makes the function that writes account objects' values straight into the
 * column staging memory (measure-major, NaN for missing, flags 1/0, match
 * values as codes) and returns the rows it cannot pack: no `values` object,
 * a value of the wrong type or NaN, a text value the rule does not list, or
 * a key that is not a measure. Those rows go through the JSON path, which
 * reports their errors exactly as scoreMany does.
 *
 * With `codegen`, the packer is generated for the model's measure ids (named
 * property reads are 3–4× faster than reads by a computed key); where code
 * generation is refused (a Content-Security-Policy without 'unsafe-eval',
 * Cloudflare Workers) the generic packer is used.
 */
/** Rust's white space (`char::is_whitespace`: unlike JS's trim, U+0085 is one and U+FEFF is not). */
const space = (c) => (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;

/** Rust's `str::trim`, in one pass from each end (a regex took quadratic time on long runs of spaces). */
function trim(s) {
  let a = 0;
  let b = s.length;
  while (a < b && space(s.charCodeAt(a))) a++;
  while (b > a && space(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Texts remembered per match measure when they are not its keys (a bound on memory), and how long each may be. */
const OTHER_TEXTS = 4096;
const OTHER_TEXT_CHARS = 256;

/**
 * A match measure's text → its code in a column: the key's index, one past
 * the last key (any other text, with an `otherwise`), NaN (a text that means
 * "no value"), or undefined (the JSON path decides: an unknown text
 * without `otherwise` is refused there, with its message).
 */
function textCodes(measure, missingTexts) {
  const keys = new Map(measure.values.map((v, k) => [v, k]));
  const standard = new Set(missingTexts.map((t) => t.toLowerCase()));
  const own = (measure.missingValues ?? []).map(trim);
  const other = measure.otherwise ? measure.values.length : undefined;
  const seen = new Map();
  const lower = (t) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  function classify(s) {
    // (half a character: the JSON path refuses it, `invalid_text`; a text of
    // a mebibyte or more goes there too, to meet the account's size limit)
    if (s.length >= LONG_TEXT || !wellFormed(s)) return undefined;
    const t = trim(s);
    if (t === '' || standard.has(lower(t)) || own.includes(t)) return NaN;
    return other;
  }
  return (s) => {
    const k = keys.get(s);
    if (k !== undefined) return k;
    let c = seen.get(s);
    if (c === undefined && !seen.has(s)) {
      c = classify(s);
      if (seen.size < OTHER_TEXTS && s.length <= OTHER_TEXT_CHARS) seen.set(s, c);
    }
    return c;
  };
}

/**
 * How a measure's values are packed: 0 a number, 1 a flag (1/0), 2 a text
 * as its code, 3 never (a `per` measure: its value is divided by an account
 * field first, so such a row goes through the JSON path). From what the
 * core says the rule reads (`reads`), never from the rule's type.
 */
export const measureKind = (m) => (m.per ? 3 : { number: 0, flag: 1, text: 2 }[m.reads]);

export function makePacker(measures, codegen, missingTexts = []) {
  const m = measures.length;
  const ids = measures.map((x) => x.id);
  const kind = measures.map(measureKind);
  // Match values travel as codes: the index of the value among the rule's
  // keys, or one past the last for any other text when the rule has an
  // `otherwise` (so a long-tailed column stays in the kernel), or NaN for a
  // text that means "no value" (as the core reads it: a rule's key first,
  // then blank, the standard missing texts in any case, the measure's own).
  const codes = measures.map((x) => (x.values ? textCodes(x, missingTexts) : null));
  // (a text that is not a key, coded "other" or "no value", is kept in
  // `texts` by cell, for the scorecard's breakdown to show as given)
  const keyCount = measures.map((x) => (x.values ? x.values.length : 0));
  if (codegen && !codegenRefused) {
    let src = 'const slow = [];\nfor (let r = 0; r < rows; r++) {\n';
    src += '  const a = accounts[start + r];\n  const v = plain(a) ? a.values : undefined;\n';
    src += '  let ok = plain(v), seen = 0, x, c;\n  if (ok) {\n';
    ids.forEach((id, i) => {
      const cell = `buffer[${i} * rows + r]`;
      src += `    x = v[${JSON.stringify(id)}];\n`;
      const present = kind[i] === 3
        ? 'if (false) {}'
        : kind[i] === 1
        ? `if (typeof x === "boolean") { ${cell} = x ? 1 : 0; seen++; }`
        : kind[i] === 2
          ? `if (typeof x === "string" && (c = codes[${i}](x)) !== undefined) { ${cell} = c; seen++; if (texts !== null && !(c < ${keyCount[i]})) texts.set(${i} * rows + r, x); }`
          : `if (typeof x === "number" && x === x) { ${cell} = x; seen++; }`;
      src += `    ${present} else if (x === undefined) ${cell} = NaN; else if (x === null) { ${cell} = NaN; seen++; } else ok = false;\n`;
    });
    src += '    if (ok) { let k = 0; for (const key in v) k++; ok = k === seen; }\n  }\n';
    src += `  if (!ok) { slow.push(r); for (let i = 0; i < ${m}; i++) buffer[i * rows + r] = NaN; }\n}\nreturn slow;`;
    try {
      const fn = new Function('accounts', 'buffer', 'rows', 'codes', 'start', 'plain', 'texts', src);
      const pack = (accounts, buffer, rows, start = 0, texts = null) => fn(accounts, buffer, rows, codes, start, plain, texts);
      pack.writesEveryCell = true;
      return pack;
    } catch {
      codegenRefused = true;
    }
  }
  // The generic packer walks each object's own keys with for…in (fast in V8)
  // and remembers the key order of the previous object, so that objects built
  // alike find each key's measure without a lookup. The staging memory
  // starts as NaN, so measures an object leaves out are missing.
  const index = new Map(ids.map((id, i) => [id, i]));
  return function pack(accounts, buffer, rows, start = 0, texts = null) {
    const slow = [];
    const lastKeys = [];
    const lastIdx = [];
    for (let r = 0; r < rows; r++) {
      const a = accounts[start + r];
      const values = plain(a) ? a.values : undefined;
      let ok = plain(values);
      let j = 0;
      if (ok) {
        for (const key in values) {
          let i;
          if (lastKeys[j] === key) {
            i = lastIdx[j];
          } else {
            i = index.get(key);
            if (i === undefined) {
              ok = false;
              break;
            }
            lastKeys[j] = key;
            lastIdx[j] = i;
          }
          j++;
          const v = values[key];
          const at = i * rows + r;
          if (v == null) {
            buffer[at] = NaN;
          } else if (kind[i] === 0) {
            // (only numbers are written: a BigInt or Symbol would throw)
            ok = typeof v === 'number' && v === v;
            if (ok) buffer[at] = v;
          } else if (kind[i] === 1) {
            ok = typeof v === 'boolean';
            buffer[at] = v ? 1 : 0;
          } else if (kind[i] === 3) {
            ok = false;
          } else {
            const c = typeof v === 'string' ? codes[i](v) : undefined;
            ok = c !== undefined;
            buffer[at] = c;
            if (ok && texts !== null && !(c < keyCount[i])) texts.set(at, v);
          }
          if (!ok) break;
        }
      }
      if (!ok) {
        slow.push(r);
        for (let i = 0; i < m; i++) buffer[i * rows + r] = NaN;
      }
    }
    return slow;
  };
}

/**
 * Whether `x` is a plain object: its prototype is Object.prototype or null.
 * Anything else (a Map, an array, a class instance, an object that inherits
 * values) goes through the JSON path, which reads own properties only and
 * refuses what is not data, so both paths give the same answer.
 */
function plain(x) {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Set once `new Function` has been refused here; not tried again. */
let codegenRefused = false;

/** An id the JSON path takes as it is: printable ASCII, not blank, 1 to 200 characters. */
const PLAIN_ID = /^[\x20-\x7e]{1,200}$/;
const ACCOUNT_KEYS = new Set(['id', 'name', 'segment', 'value', 'values']);
/** Text this long sends its account through JSON (see packFields). */
const LONG_TEXT = 1 << 20;

/**
 * Reads each account's id, name, segment and value (rows `start` to
 * `start + rows`) for the scorecards built from columns; marks `slow[r]`
 * for an account the JSON path must read (an unknown key, `observedAt`, an
 * id that is not plain, a name or segment that is not text, a value that
 * is not a number from 0 to 1e15).
 */
export function packFields(accounts, start, rows, slow) {
  const ids = new Array(rows);
  const names = new Array(rows);
  const segments = new Array(rows);
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = accounts[start + r];
    values[r] = NaN;
    if (slow[r] || !plain(a)) {
      slow[r] = 1;
      continue;
    }
    let ok = true;
    for (const k in a) {
      if (!ACCOUNT_KEYS.has(k) && a[k] !== undefined) {
        ok = false;
        break;
      }
    }
    const { id, name, segment, value } = a;
    if (typeof id === 'string') ok &&= PLAIN_ID.test(id) && id.trim().length > 0;
    else ok &&= Number.isSafeInteger(id);
    // (text with a lone surrogate goes through JSON, which refuses it at its
    // path; so does long text, which the JSON path weighs against the
    // account's size limit: here an account is its texts and numbers, well
    // under it while its texts are under LONG_TEXT)
    ok &&= name == null || (typeof name === 'string' && name.length < LONG_TEXT && wellFormed(name));
    ok &&= segment == null || (typeof segment === 'string' && segment.length < LONG_TEXT && wellFormed(segment));
    ok &&= value == null || (typeof value === 'number' && value >= 0 && value <= 1e15);
    if (!ok) {
      slow[r] = 1;
      continue;
    }
    ids[r] = String(id);
    names[r] = name ?? null;
    segments[r] = segment ?? null;
    values[r] = value ?? NaN;
  }
  return { ids, names, segments, values };
}

/**
 * Runs a packer so that no account can break the batch: returns the rows
 * to send through the JSON path, which is every row when the packer threw
 * (a getter or proxy trap that throws) or when the staging memory was
 * detached under it (a getter that made the module's memory grow, so that
 * later writes went nowhere). The JSON path then reports each account's
 * own error, or scores it.
 */
export function packSafely(pack, accounts, buffer, rows, start = 0, texts = null) {
  let slow;
  try {
    slow = pack(accounts, buffer, rows, start, texts);
  } catch {
    slow = null;
  }
  if (slow === null || (rows > 0 && buffer.length === 0)) return Array.from({ length: rows }, (_, r) => r);
  return slow;
}

/** packFields, with every row sent through JSON when reading a field throws. */
export function packFieldsSafely(accounts, start, rows, slow) {
  try {
    return packFields(accounts, start, rows, slow);
  } catch {
    slow.fill(1);
    return { ids: new Array(rows), names: new Array(rows), segments: new Array(rows), values: new Float64Array(rows).fill(NaN) };
  }
}
