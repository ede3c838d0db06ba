// customer-health/edge, the HTTP side: settings, coded answers, bodies read
// within limits, and calls between the worker and its Durable Objects.
import { HealthScoreError } from './index.worker.mjs';
import { DEFAULTS, setting } from './edge-settings.mjs';

export { DEFAULTS, setting };

/** Whether webhooks to loopback, private and link-local addresses are allowed (development only). */
export const allowPrivateWebhooks = (env) => String(env?.EDGE_ALLOW_PRIVATE_WEBHOOKS ?? '').toLowerCase() === 'true';

export const json = (body, status = 200) => Response.json(body, { status });
export const problem = (status, code, path, message, help) => json({ code, path, message, help }, status);

/** An error of the library (coded) or anything else (500), as an answer. */
export const fromError = (e, status = 400) => (e instanceof HealthScoreError
  ? problem(status, e.code, e.path, e.message, e.help)
  : problem(500, 'internal_error', '', String(e?.message ?? e), 'report this as a bug'));

/** A problem as a plain object (what the Durable Objects answer with). */
export const fail = (status, code, path, message, help) => ({ status, body: { code, path, message, help } });

/**
 * A request's body as JSON, refused before it is read past `maxBytes` (by
 * its Content-Length, or counted while it streams in) or parsed past
 * `maxDepth` levels of nesting: `{ value }`, or `{ error }` holding the
 * answer to send (`status`, code `too_large` or `invalid_json`). Bad
 * traffic then costs the isolate neither memory nor time.
 */
export async function readJsonBody(request, { maxBytes = 64 * 1024, maxDepth = 32, status = 400 } = {}) {
  const declared = Number(request.headers.get('content-length'));
  const tooLarge = () => problem(status, 'too_large', '', 'the body is larger than the limit', `the limit is ${maxBytes} bytes per request`);
  if (Number.isFinite(declared) && declared > maxBytes) return { error: tooLarge() };
  let size = 0;
  const parts = [];
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return { error: tooLarge() };
      }
      parts.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  if (depthOf(text, maxDepth) > maxDepth) {
    return { error: problem(status, 'too_large', '', 'the body nests deeper than the limit', `the limit is ${maxDepth} levels`) };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: problem(400, 'invalid_json', '', 'the body is not JSON', 'send a JSON object') };
  }
}

/** How deeply arrays and objects nest in JSON text (strings skipped), up to `limit` + 1. */
function depthOf(text, limit) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return depth;
}

/**
 * Calls operation `op` of a Durable Object with `payload`: `{ status, body }`.
 * The worker builds every such call itself (nothing of the client's request,
 * no header and no Host, is passed on), and a Durable Object can only be
 * reached through its binding: an object trusts what it is sent.
 */
export async function callObject(stub, op, payload) {
  const res = await stub.fetch(new Request(`https://object/${op}`, { method: 'POST', body: JSON.stringify(payload ?? {}) }));
  return { status: res.status, body: await res.json() };
}

/** An object's `fetch`: the operation and its payload, dispatched to `handlers[op]` (each gives `{ status?, body }`). */
export async function serveObject(request, handlers) {
  const op = new URL(request.url).pathname.slice(1);
  const handler = Object.hasOwn(handlers, op) ? handlers[op] : null;
  if (!handler) return problem(404, 'not_found', '', `no operation \`${op}\``, 'the worker calls objects; clients call the worker');
  let payload;
  try {
    payload = await request.json();
  } catch {
    return problem(400, 'invalid_json', '', 'the call is not JSON', 'a bug in the worker');
  }
  try {
    const { status = 200, body } = await handler(payload);
    return json(body, status);
  } catch (e) {
    return fromError(e);
  }
}

/** The tenant's object and an account's, by name. */
export const tenantStub = (env, tenant) => env.TENANTS.get(env.TENANTS.idFromName(tenant));
export const accountStub = (env, tenant, account) => env.ACCOUNTS.get(env.ACCOUNTS.idFromName(`${tenant}\u0000${account}`));

/** A page size from a query (`limit`), within 1..EDGE_PAGE_MAX (default 100). */
export function pageLimit(query, env) {
  const n = Math.floor(Number(query?.limit ?? 100));
  return Math.max(1, Math.min(setting(env, 'EDGE_PAGE_MAX'), Number.isFinite(n) ? n : 100));
}
