// The boundary codec: JS values to JSON text for the core (marking what JSON
// cannot carry), the errors the core throws back as HealthScoreError, and
// calls into the module that turn anything raw into a coded error.

/**
 * Whether text has no lone UTF-16 surrogate. JSON.stringify writes a lone
 * surrogate as an escape the core's JSON reader refuses for the whole text;
 * such text is marked instead, so that the core refuses only the value that
 * holds it, at its path.
 */
export const wellFormed = typeof ''.isWellFormed === 'function'
  ? (t) => t.isWellFormed()
  : (t) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(t);

/**
 * @param {() => void} ensureReady throws when the module is not initialised yet
 * @param {() => void} onTrap restarts the modules after a trap
 */
export function makeCodec(ensureReady = () => {}, onTrap = () => {}) {
  /** An error from customer-health: a stable code, a path into your data, a message and help. */
  class HealthScoreError extends Error {
    constructor(data) {
      super(data.message);
      this.name = 'HealthScoreError';
      this.code = data.code;
      this.path = data.path;
      this.help = data.help;
      this.errors = Array.isArray(data.errors) && data.errors.length > 0
        ? data.errors
        : [{ code: data.code, path: data.path, message: data.message, help: data.help }];
    }
  }

  const error = (code, path, message, help) => new HealthScoreError({ code, path, message, help });

  function rethrow(e) {
    if (typeof e === 'string') {
      let data;
      try {
        data = JSON.parse(e);
      } catch {
        data = { code: 'internal_error', path: '', message: e, help: 'report this as a bug' };
      }
      throw new HealthScoreError(data);
    }
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
      // The instance cannot be trusted after a trap: start a new one (every
      // model is remade in it on its next use).
      onTrap();
      throw error('internal_error', '', `the WebAssembly module trapped (${e.message}); it was restarted and every model keeps working`, 'report this as a bug, with the input that caused it');
    }
    if (e instanceof HealthScoreError) throw e;
    if (e instanceof RangeError) {
      throw error('too_large', '', `the input does not fit: ${describe(e)}`, 'pass it in smaller parts');
    }
    // Anything else thrown on the way (a getter or proxy trap in the input
    // that throws, a detached buffer) becomes a coded error too.
    throw error('wrong_type', '', `the input cannot be read: ${describe(e)}`, 'pass plain data (numbers, booleans, strings, arrays, objects); a getter or proxy in it threw');
  }

  /** Runs `fn` (a call into the module); what it throws becomes a HealthScoreError. */
  function call(fn) {
    ensureReady();
    try {
      return fn();
    } catch (e) {
      return rethrow(e);
    }
  }

  // JSON cannot carry these; they are sent as marked strings (a leading U+0000)
  // and refused by the core with the path where they were found.
  function replacer(_key, v) {
    switch (typeof v) {
      case 'number':
        return Number.isFinite(v) ? v : '\u0000' + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
      case 'string':
        if (!wellFormed(v)) return '\u0000LoneSurrogate';
        return v.charCodeAt(0) === 0 ? '\u0000' + v : v;
      case 'bigint':
        return '\u0000BigInt';
      case 'symbol':
        return '\u0000Symbol';
      case 'function':
        return '\u0000Function';
      case 'object':
        if (v instanceof Map) return '\u0000Map';
        if (v instanceof Set) return '\u0000Set';
        if (v !== null && !Array.isArray(v)) {
          for (const k in v) if (!wellFormed(k)) return '\u0000LoneSurrogateKey';
        }
        return v;
      default:
        return v;
    }
  }

  /**
   * The size limits of the documents the core reads (`{ account: { items,
   * bytes }, model: { items, bytes } }`), from the core's constants: set
   * once the module is up (js/api.mjs).
   */
  let budgets = () => null;
  function setBudgets(fn) {
    budgets = fn;
  }

  /** Marks a document over its limit while it is written. */
  class TooLarge extends Error {
    constructor(path, message, help) {
      super(message);
      Object.assign(this, { path, help });
    }
  }

  /**
   * The replacer with a budget: an array longer than `items` (a series of a
   * million points) or text past `bytes` (counted as characters while it is
   * written) stops the writing at once, so an input over a limit is
   * refused before it is copied whole or crosses into the module.
   */
  function budgeted({ items, bytes }, what) {
    let used = 0;
    const keys = new WeakMap(); // object → its path's keys
    return function (key, v) {
      used += key.length + 4;
      if (typeof v === 'string') used += v.length;
      else if (typeof v === 'object' && v !== null) {
        const at = key === '' ? [] : [...(keys.get(this) ?? []), key];
        if (Array.isArray(v) && v.length > items) {
          const path = at.map((k, i) => (i > 0 && /^\d+$/.test(k) ? `[${k}]` : (i > 0 ? `.${k}` : k))).join('');
          throw new TooLarge(path, `${v.length} items is more than the limit`, `the limit is ${items} items in one array of ${what} (a series holds at most ${items} points)`);
        }
        keys.set(v, at);
      } else used += 8;
      if (used > bytes) {
        throw new TooLarge('', `${what} is larger than the limit`, `the limit is ${bytes} bytes of JSON for ${what}; send less (a series of at most the series limit, notes of at most 2,000 characters)`);
      }
      return replacer(key, v);
    };
  }

  /**
   * A value as JSON text for the core. `kind` (`account` or `model`) names
   * the budget it is written under (see `budgeted`).
   */
  function encode(value, what, kind) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      throw error('wrong_type', '', `${what} is ${typeof value}`, `pass ${what} as a plain object`);
    }
    const budget = kind ? budgets()?.[kind] : null;
    try {
      return JSON.stringify(value, budget ? budgeted(budget, what) : replacer);
    } catch (e) {
      if (e instanceof TooLarge) throw error('too_large', e.path, e.message, e.help);
      throw unreadable(e, what);
    }
  }

  /**
   * A document given as JSON text, as the core reads it: parsed and encoded
   * again, so that a string of the user's that starts with U+0000 is not
   * taken for a mark and a lone surrogate is refused at its path (passed as
   * it is, a lone surrogate would silently become U+FFFD). Text that is not
   * JSON goes as it is, for the core's error with its line and column.
   */
  function encodeText(text, what, kind) {
    const budget = kind ? budgets()?.[kind] : null;
    if (budget && text.length > budget.bytes) {
      throw error('too_large', '', `${what} is ${text.length} characters of JSON, more than the limit`, `the limit is ${budget.bytes} bytes of JSON for ${what}`);
    }
    // Text with no U+0000 and no half of a character (raw or escaped)
    // holds nothing the replacer would mark: it goes as it is.
    if (wellFormed(text) && !/\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(text)) return text;
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return text;
    }
    return encode(value, what, kind);
  }

  /** Why a value could not be serialised, as a coded error. */
  function unreadable(e, what) {
    const message = describe(e);
    if (e instanceof TypeError && /circular|cyclic/i.test(message)) {
      return error('cyclic_input', '', `${what} refers to itself`, 'pass plain data without cycles');
    }
    return error('wrong_type', '', `${what} cannot be read: ${message}`, 'pass plain data (numbers, booleans, strings, arrays, objects); a getter or proxy in it threw');
  }

  /**
   * A batch as JSON text, one item at a time, so that an item that cannot
   * be read (a getter that throws, a cycle) becomes that item's error in
   * the core (a marked string) instead of failing the whole batch.
   */
  function encodeEach(items, what, kind) {
    const parts = new Array(items.length);
    const budget = kind ? budgets()?.[kind] : null;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      try {
        // (an item whose toJSON() gives undefined serialises to nothing: null)
        parts[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol'
          ? 'null'
          : JSON.stringify(item, budget ? budgeted(budget, `item ${i} of ${what}`) : replacer) ?? 'null';
      } catch (e) {
        if (e instanceof TooLarge) {
          parts[i] = JSON.stringify(`\u0000TooLarge:${e.path ? `${e.path}: ` : ''}${e.message}; ${e.help}`);
          continue;
        }
        const { code, message } = unreadable(e, `item ${i} of ${what}`);
        parts[i] = JSON.stringify(`\u0000${code === 'cyclic_input' ? 'Cyclic' : 'Unreadable'}:${message}`);
      }
    }
    return `[${parts.join(',')}]`;
  }

  const parse = (text) => JSON.parse(text);


  /** What was thrown, as text (a getter may throw null or anything else). */
  function describe(e) {
    try {
      return e instanceof Error ? e.message : String(e);
    } catch {
      return 'a value that cannot be shown';
    }
  }

  /** An array as JSON text. */
  function list(value, what) {
    if (!Array.isArray(value)) throw error('wrong_type', '', `${what} must be an array`, `pass ${what} as an array`);
    return encode(value, what);
  }

  /**
   * Options of a call as JSON text for the core (which refuses unknown ones
   * with their path), or undefined for none.
   */
  function options(value, what = 'options') {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw error('wrong_type', '', `${what} must be an object`, 'pass e.g. { at: "2026-09-30" }');
    }
    return encode(value, what);
  }

  /**
   * Checks options read in JS (those the core reads are checked there): an
   * object (or nothing) whose keys are all in `keys`. A misspelt option is
   * an error, never silently ignored. Returns the options (or {}).
   */
  function jsOptions(value, keys, example) {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw error('wrong_type', 'options', 'options must be an object', `pass e.g. ${example}`);
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        const near = keys.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
        throw error('unknown_field', `options.${key}`, `there is no option \`${key}\``, `${near ? `did you mean \`${near}\`? ` : ''}the options are: ${keys.join(', ')}`);
      }
    }
    return value;
  }

  return { HealthScoreError, error, rethrow, call, encode, encodeEach, encodeText, parse, list, options, jsOptions, wellFormed, describe, setBudgets };
}

/** Edit distance of two short strings (for "did you mean"). */
function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
