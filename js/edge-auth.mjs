// customer-health/edge, authentication: the operator's secret and tenant API
// keys. Nothing the client sends is trusted but the `Authorization` header,
// and that only after it is checked.
//
// - The operator holds `EDGE_OPERATOR_SECRET` (a Workers secret): every
//   scope on every tenant; it creates a tenant's first key.
// - A tenant key is `chk_<id>_<mac>`: `mac` is an HMAC of the tenant and the
//   id under the operator's secret, so a key made up, or one of another
//   tenant, is refused (401) before any storage is touched; the tenant's
//   object then holds the key's SHA-256 (never the key), its name and
//   scopes, and a revoked key is gone from it. A key is shown once, when
//   it is created.
// - Scopes: `ingest` (events, backfill), `read` (scorecards, histories,
//   lists, summary), `admin` (models, webhooks, keys, dead letters,
//   export, erasure). A key without the scope a route needs: 403.

const encoder = new TextEncoder();
export const SCOPES = ['ingest', 'read', 'admin'];

const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** SHA-256 of text, as hex. */
export async function sha256(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Whether two texts are equal, compared as SHA-256 digests in constant time. */
export async function sameSecret(a, b) {
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  if (typeof crypto.subtle.timingSafeEqual === 'function') return crypto.subtle.timingSafeEqual(x, y);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i] ^ v[i];
  return diff === 0;
}

async function mac(operatorSecret, tenant, id) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(operatorSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(await crypto.subtle.sign('HMAC', key, encoder.encode(`customer-health key\u0000${tenant}\u0000${id}`)));
}

/** A new key of `tenant`: `{ id, key }` (the key is shown once). */
export async function mintKey(operatorSecret, tenant) {
  const id = hex(crypto.getRandomValues(new Uint8Array(9)));
  return { id, key: `chk_${id}_${await mac(operatorSecret, tenant, id)}` };
}

/**
 * Who sent a request for `tenant`: `{ operator: true }`, `{ keyId, keyHash }`
 * (a well-formed key of this tenant, still to be found in its object), or
 * `{ error: [status, code, message, help] }`.
 */
export async function authenticate(request, env, tenant) {
  const header = request.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token) return { error: [401, 'unauthenticated', 'no credentials', 'send `Authorization: Bearer <key>` (a tenant key, or the operator secret)'] };
  const operator = env.EDGE_OPERATOR_SECRET;
  if (await sameSecret(token, operator)) return { operator: true };
  const m = /^chk_([0-9a-f]{18})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || !(await sameSecret(m[2], await mac(operator, tenant, m[1])))) {
    return { error: [401, 'invalid_key', 'the key is not a key of this tenant', 'use a key created for this tenant (POST /tenants/:t/keys); a revoked key stays refused'] };
  }
  return { keyId: m[1], keyHash: await sha256(token) };
}
