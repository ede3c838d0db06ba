// Calibration calls (backtest, fit, suggestBands, suggest) as jobs: the rows
// go to the WebAssembly module in chunks, then the work runs in steps, so
// that progress can be reported between steps (`onProgress`) and the call
// stopped: synchronously by returning false from `onProgress`, or, in the
// `…Async` variants, which yield to the event loop between steps, with an
// AbortSignal (`signal`).

/** Rows per chunk sent to the module. */
const CHUNK = 5000;

/** Yields to the event loop (a macrotask, so that timers and input run). */
function tick() {
  if (typeof setImmediate === 'function') return new Promise((ok) => setImmediate(ok));
  if (typeof MessageChannel === 'function') {
    return new Promise((ok) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        ok();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((ok) => setTimeout(ok, 0));
}

/**
 * @param {object} cx the API's shared pieces: call, encode, error, parse, limits
 */
export function makeCalibration({ call, encode, error, parse, limits, calibration }) {
  const noModule = () => error('not_initialized', '', 'calibration is not available in this build', 'use an entry point of customer-health that ships the calibration module');
  /** Splits the caller's options into the module's (JSON) and the JS-only ones. */
  function split(options) {
    if (options != null && (typeof options !== 'object' || Array.isArray(options))) {
      throw error('wrong_type', 'options', 'options must be an object', 'pass e.g. { outcome: { column: "Churn", churnedWhen: "Yes" } }');
    }
    const { onProgress, signal, ...rest } = options ?? {};
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw error('wrong_type', 'onProgress', 'onProgress must be a function', 'pass (progress) => { … }');
    }
    return { json: encode(rest, 'the options'), onProgress, signal };
  }

  /**
   * The rows as parts to send: `{ json, n }` (a chunk of rows or columns, as
   * data to encode) or `{ csv }`, after a size check.
   */
  function chunks(rows) {
    if (typeof rows === 'string') return { total: null, parts: [{ csv: rows, n: 0 }] };
    if (Array.isArray(rows)) {
      const width = rows.length > 0 && rows[0] !== null && typeof rows[0] === 'object' ? Object.keys(rows[0]).length : 1;
      tooLarge(rows.length, width);
      const parts = [];
      for (let a = 0; a < rows.length; a += CHUNK) {
        const slice = rows.slice(a, a + CHUNK);
        parts.push({ ...columnsOf(slice), n: slice.length });
      }
      return { total: rows.length, parts: parts.length > 0 ? parts : [{ json: [], n: 0 }] };
    }
    if (rows !== null && typeof rows === 'object') {
      const keys = Object.keys(rows);
      const first = keys.length > 0 ? rows[keys[0]] : undefined;
      const n = first != null && typeof first.length === 'number' ? first.length : 0;
      tooLarge(n, keys.length);
      const arrays = keys.every((k) => Array.isArray(rows[k]) || ArrayBuffer.isView(rows[k]));
      // Anything but arrays goes as it is, for the module to report.
      if (!arrays) return { total: n, parts: [{ json: rows, n }] };
      const parts = [];
      for (let a = 0; a < n || a === 0; a += CHUNK) {
        parts.push({ names: keys, columns: keys.map((k) => Array.from(rows[k].slice(a, a + CHUNK))), n: Math.min(CHUNK, n - a) });
      }
      return { total: n, parts };
    }
    throw error('wrong_type', '', 'rows must be an array of objects, an object of columns, or CSV text', 'pass [{ column: value }], { column: [values] } or the text of a CSV file');
  }

  /**
   * Rows of plain objects as columns in the order their keys come (a fifth
   * of the JSON: each key is written once); a chunk holding anything else is
   * sent as rows, so that such a row is reported at its index.
   */
  function columnsOf(rows) {
    const keys = [];
    const seen = new Set();
    for (const r of rows) {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) return { json: rows };
      for (const k in r) {
        if (Object.hasOwn(r, k) && !seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
      }
    }
    const columns = keys.map((k) => {
      const col = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) col[i] = rows[i][k];
      return col;
    });
    return { names: keys, columns };
  }

  function tooLarge(rows, columns) {
    const { maxCells, maxColumns } = limits();
    if (columns > maxColumns + 3) {
      throw error('too_large', '', `${columns} columns is more than ${maxColumns}`, `the limit is ${maxColumns} columns; leave out the columns the model does not need`);
    }
    if (rows * Math.max(1, columns) > maxCells) {
      throw error('too_large', '', `${rows} rows × ${columns} columns is more than ${maxCells} cells`, `the limit is ${maxCells} cells; sample the rows or split the table`);
    }
  }

  const isNumberCell = (v) => v === null || v === undefined || (typeof v === 'number' && Number.isFinite(v));

  /** Frees a job (of a trapped instance too: that error is not the one to report). */
  function release(job) {
    try {
      job.free();
    } catch {
      // the instance trapped and was replaced; its memory goes with it
    }
  }

  const cancelled = () => error('cancelled', '', 'the call was cancelled', 'nothing was changed; call again to start over');

  function add(job, part) {
    if (part.csv !== undefined) job.addCsv(part.csv);
    else if (part.names !== undefined) {
      // Columns of plain numbers (null or undefined for missing) cross as one
      // Float64Array; the others as JSON.
      const numeric = new Uint8Array(part.names.length);
      const texts = [];
      const numbers = [];
      part.columns.forEach((col, i) => {
        if (col.every(isNumberCell)) {
          numeric[i] = 1;
          numbers.push(col);
        } else texts.push(col);
      });
      const flat = new Float64Array(numbers.length * part.n);
      numbers.forEach((col, j) => {
        for (let r = 0; r < part.n; r++) flat[j * part.n + r] = col[r] ?? NaN;
      });
      job.addColumns(JSON.stringify(part.names), encode(texts, 'the rows'), flat, numeric, part.n);
    }
    else job.addRows(encode(part.json, 'the rows'));
  }

  /** Runs a job to its end, calling onProgress between steps. */
  function runSync(makeJob, rows, options) {
    const { json, onProgress } = split(options);
    const { total, parts } = chunks(rows);
    if (!calibration) throw noModule();
    const module = calibration.load();
    if (!module) {
      throw error('not_initialized', '', "customer-health's calibration module is not initialised yet", calibration.help);
    }
    // Only the calls into the module are wrapped: what onProgress throws
    // reaches the caller as it is.
    const job = call(() => makeJob(module, json));
    try {
      let done = 0;
      for (const part of parts) {
        call(() => add(job, part));
        done += part.n;
        // (CSV text is counted by the module once read: its first step says)
        if (total !== null && onProgress && onProgress({ phase: 'reading', done, total }) === false) throw cancelled();
      }
      for (let p = call(() => job.step()); p !== undefined && p !== null; p = call(() => job.step())) {
        if (onProgress && onProgress(parse(p)) === false) throw cancelled();
      }
      return call(() => parse(job.result()));
    } finally {
      release(job);
    }
  }

  /** The same, yielding to the event loop between chunks and steps; stops when `signal` aborts. */
  async function runAsync(makeJob, rows, options) {
    const { json, onProgress, signal } = split(options);
    const { total, parts } = chunks(rows);
    const check = () => {
      if (signal?.aborted) throw cancelled();
    };
    check();
    if (!calibration) throw noModule();
    const module = await calibration.loadAsync();
    if (!module) {
      throw error('not_initialized', '', "customer-health's calibration module is not initialised yet", calibration.help);
    }
    check();
    const job = call(() => makeJob(module, json));
    try {
      let done = 0;
      for (const part of parts) {
        await tick();
        check();
        call(() => add(job, part));
        done += part.n;
        if (total !== null) onProgress?.({ phase: 'reading', done, total });
      }
      for (;;) {
        await tick();
        check();
        const p = call(() => job.step());
        if (p === undefined || p === null) break;
        onProgress?.(parse(p));
      }
      return call(() => parse(job.result()));
    } finally {
      release(job);
    }
  }

  return { runSync, runAsync };
}
