// customer-health/webhook: signing and checking the edge service's webhook
// deliveries, as Stripe and Svix do. Web Crypto only (Node 20+, browsers,
// workers); no WebAssembly, so a receiver imports it alone.
//
// A delivery carries `x-health-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`:
// each v1 is the HMAC-SHA-256 of `<t>.<body>` under one of the tenant's
// webhook secrets (two during a rotation). A receiver accepts the delivery
// when one v1 matches one of its secrets and `t` is within the tolerance
// (300 s by default) of its clock, so a captured delivery cannot be replayed
// later; it then de-duplicates by the `idempotency-key` header.

const encoder = new TextEncoder();

/** The default tolerance between a signature's time and the receiver's clock, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

async function hmacHex(secret, text) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  let hex = '';
  for (const b of mac) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The signature header of `body` sent at `t` (unix seconds) under each of
 * `secrets`: `t=<t>,v1=<hex>,…`.
 */
export async function signWebhook(secrets, body, t = Math.floor(Date.now() / 1000)) {
  const signed = `${t}.${body}`;
  const parts = [`t=${t}`];
  for (const s of secrets) parts.push(`v1=${await hmacHex(s, signed)}`);
  return parts.join(',');
}

/** Two strings compared in time independent of where they differ. */
function sameText(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Checks a delivery: `body` (the raw text received), `header` (the
 * `x-health-signature` value) and the receiver's `secrets` (one, or two
 * during a rotation). Gives `{ ok: true, t }` or `{ ok: false, reason }`
 * (`no_signature`, `stale` when `t` is further than `toleranceSeconds` from
 * `now`, `bad_signature`).
 */
export async function verifyWebhook(body, header, secrets, { toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS, now = Date.now() } = {}) {
  if (typeof header !== 'string' || header === '') return { ok: false, reason: 'no_signature' };
  let t = null;
  const given = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d+$/.test(v)) t = Number(v);
    else if (k === 'v1') given.push(v);
  }
  if (t === null || given.length === 0) return { ok: false, reason: 'no_signature' };
  if (Math.abs(now / 1000 - t) > toleranceSeconds) return { ok: false, reason: 'stale' };
  for (const s of Array.isArray(secrets) ? secrets : [secrets]) {
    const want = await hmacHex(s, `${t}.${body}`);
    if (given.some((g) => sameText(g, want))) return { ok: true, t };
  }
  return { ok: false, reason: 'bad_signature' };
}
