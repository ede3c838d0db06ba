// A Cloudflare Worker (or any workerd-based edge runtime) that scores one
// account per request with the built-in points model.
//
//   POST /score   body: an account { id, values: { ... } }
//   → 200 with the scorecard, or 400 with { code, path, message, help }
//   → 413 (code too_large) for a body over MAX_BODY_BYTES or nested deeper
//     than MAX_DEPTH: refused before it is read or parsed, so bad traffic
//     costs the isolate neither memory nor time.
import { HealthModel, HealthScoreError, presets } from 'customer-health';
import { readJsonBody } from 'customer-health/edge';

/** The largest body read: an account is a few hundred bytes; 64 KiB is plenty. */
const MAX_BODY_BYTES = 64 * 1024;
/** The deepest nesting parsed: an account is 3 levels deep. */
const MAX_DEPTH = 32;

// Built once per isolate, reused by every request.
const model = new HealthModel(presets['saas-points']);

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/score') {
      return new Response('POST an account to /score\n', { status: 404 });
    }
    const body = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, maxDepth: MAX_DEPTH, status: 413 });
    if (body.error) return body.error;
    const account = body.value;
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
