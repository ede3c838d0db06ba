// A Cloudflare Worker (or any workerd-based edge runtime) that scores one
// account per request with the built-in points model.
//
//   POST /score   body: an account { id, values: { ... } }
//   → 200 with the scorecard, or 400 with { code, path, message, help }
//   → 413 (code too_large) for a body over MAX_BODY_BYTES or nested deeper
//     than MAX_DEPTH: refused before it is read or parsed, so bad traffic
//     costs the isolate neither memory nor time.
import { HealthModel, HealthScoreError, presets } from 'customer-health';

/** The largest body read: an account is a few hundred bytes; 64 KiB is plenty. */
const MAX_BODY_BYTES = 64 * 1024;
/** The deepest nesting parsed: an account is 3 levels deep. */
const MAX_DEPTH = 32;

// Built once per isolate, reused by every request.
const model = new HealthModel(presets['saas-points']);

const problem = (status, code, message, help) => Response.json({ code, path: '', message, help }, { status });

/** The body as text, or null once it passes `limit` bytes (then the stream is cancelled). */
async function readLimited(request, limit) {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** How deeply arrays and objects nest in JSON text (strings skipped), up to `limit` + 1. */
function depthOf(text, limit) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return depth;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/score') {
      return new Response('POST an account to /score\n', { status: 404 });
    }
    const text = await readLimited(request, MAX_BODY_BYTES);
    if (text === null) {
      return problem(413, 'too_large', 'the body is larger than the limit', `the limit is ${MAX_BODY_BYTES} bytes per request; send one account per request`);
    }
    if (depthOf(text, MAX_DEPTH) > MAX_DEPTH) {
      return problem(413, 'too_large', 'the body nests deeper than the limit', `the limit is ${MAX_DEPTH} levels; an account is { id, values: { … } }`);
    }
    let account;
    try {
      account = JSON.parse(text);
    } catch {
      return problem(400, 'invalid_json', 'the body is not JSON', 'send an account as JSON');
    }
    try {
      return Response.json(model.score(account));
    } catch (e) {
      if (e instanceof HealthScoreError) {
        return Response.json({ code: e.code, path: e.path, message: e.message, help: e.help }, { status: 400 });
      }
      throw e;
    }
  },
};
