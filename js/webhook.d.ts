// customer-health/webhook: signing and checking the edge service's webhook
// deliveries (Web Crypto only; no WebAssembly).

/** The default tolerance between a signature's time and the receiver's clock: 300 seconds. */
export declare const SIGNATURE_TOLERANCE_SECONDS: number;

/** The `x-health-signature` header of `body` sent at `t` (unix seconds) under each secret: `t=<t>,v1=<hex>,…`. */
export declare function signWebhook(secrets: string[], body: string, t?: number): Promise<string>;

/**
 * Checks a delivery: the raw body received, its `x-health-signature` header,
 * and the receiver's secret (or two during a rotation). `stale` when the
 * signature's time is further than `toleranceSeconds` from `now` (ms).
 */
export declare function verifyWebhook(
  body: string,
  header: string | null | undefined,
  secrets: string | string[],
  options?: { toleranceSeconds?: number; now?: number },
): Promise<{ ok: true; t: number } | { ok: false; reason: 'no_signature' | 'stale' | 'bad_signature' }>;
