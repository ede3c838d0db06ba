// The page's side of the engine worker: `ask(op, args, { onProgress })`
// returns a promise of the result; `job.cancel()` aborts a long job. Errors
// come back as Error objects with the engine's `code`, `help` and `path`.
const worker = new Worker('/www/engine.js', { type: 'module' });
const pending = new Map();
let next = 1;

worker.onmessage = ({ data }) => {
  const p = pending.get(data.id);
  if (!p) return;
  if (data.progress) {
    p.onProgress?.(data.progress);
    return;
  }
  pending.delete(data.id);
  if (data.ok) p.ok(data.result);
  else p.fail(Object.assign(new Error(data.error.message), data.error));
};

worker.onerror = (e) => {
  const error = Object.assign(new Error(`the engine stopped: ${e.message ?? 'unknown error'}`), { code: 'engine_failed' });
  for (const p of pending.values()) p.fail(error);
  pending.clear();
};

/**
 * Asks the engine; the promise has `id` and `cancel()`. `transfer` lists
 * buffers handed over (not copied), such as a file's bytes.
 */
export function ask(op, args = {}, { onProgress, transfer = [] } = {}) {
  const id = next++;
  const promise = new Promise((ok, fail) => {
    pending.set(id, { ok, fail, onProgress });
  });
  worker.postMessage({ id, op, args }, transfer);
  promise.id = id;
  promise.cancel = () => worker.postMessage({ op: 'cancel', args: id });
  return promise;
}

/**
 * A file as `{ name, size, bytes }` to hand to the engine: the browser reads
 * it off the main thread and the bytes are transferred, not copied. A file
 * over `limit` bytes is not read at all (the engine refuses it by size).
 */
export async function fileArgs(file, limit) {
  const bytes = file.size > limit ? new ArrayBuffer(0) : await file.arrayBuffer();
  return { file: { name: file.name, size: file.size, bytes } };
}
