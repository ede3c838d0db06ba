// customer-health/edge, webhooks: which URLs may receive deliveries, the
// retry schedule, and one signed delivery.
import { signWebhook } from './webhook.mjs';
import { setting } from './edge-http.mjs';

export { webhookUrlProblem } from './edge-url.mjs';
export { retryDelay } from './edge-settings.mjs';

/**
 * POSTs one delivery: `body` (text) to `hook.url`, signed under each of
 * `hook.secrets`, with `idempotency-key`. Redirects are not followed (a
 * redirect could lead anywhere) and the receiver has EDGE_DELIVERY_TIMEOUT_MS
 * to answer. Gives `{ ok, status, error, ms }`.
 */
export async function postDelivery(hook, key, body, env) {
  const t0 = Date.now();
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(setting(env, 'EDGE_DELIVERY_TIMEOUT_MS')),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'customer-health-edge',
        'idempotency-key': key,
        'x-health-signature': await signWebhook(hook.secrets, body),
      },
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, ms: Date.now() - t0 };
  } catch (e) {
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return { ok: false, status: null, error: timedOut ? `no answer within ${setting(env, 'EDGE_DELIVERY_TIMEOUT_MS')} ms` : 'the receiver could not be reached', ms: Date.now() - t0 };
  }
}
