// customer-health/edge/settings: every setting of the edge service with its
// default (no WebAssembly here: examples/edge-service/make-config.mjs reads
// it in Node to write the workerd configuration).

/**
 * Every setting of the edge service, with its default. Bindings are text
 * (`[vars]` in wrangler.toml, `text` bindings in workerd); each is read as a
 * number except the secret and the flag. `examples/edge-service/make-config.mjs`
 * lists them in the workerd configuration it writes.
 */
export const DEFAULTS = {
  /** Largest event body read, in bytes. */
  EDGE_MAX_BODY_BYTES: 64 * 1024,
  /** Largest backfill body read, in bytes. */
  EDGE_MAX_BACKFILL_BYTES: 1024 * 1024,
  /** Most events in one backfill. */
  EDGE_MAX_BACKFILL: 1000,
  /** Largest model document published, in bytes. */
  EDGE_MAX_MODEL_BYTES: 1024 * 1024,
  /** Deepest JSON nesting parsed. */
  EDGE_MAX_DEPTH: 32,
  /** Snapshots kept per account (over it, the older half is thinned). */
  EDGE_MAX_SNAPSHOTS: 730,
  /** Delivery attempts of an alert before it is a dead letter. */
  EDGE_MAX_TRIES: 12,
  /** First retry delay, in ms; each next one is EDGE_RETRY_FACTOR times longer, up to EDGE_RETRY_CAP_MS, ±20 % jitter. */
  EDGE_RETRY_BASE_MS: 30_000,
  EDGE_RETRY_FACTOR: 4,
  EDGE_RETRY_CAP_MS: 12 * 3600 * 1000,
  /** A delivery that has not answered after this many ms is a failure. */
  EDGE_DELIVERY_TIMEOUT_MS: 10_000,
  /** How often alerts raised before a webhook exists look for one, in ms (no try is counted). */
  EDGE_NO_WEBHOOK_WAIT_MS: 10 * 60 * 1000,
  /** Rescoring period without events, in ms (for models whose scores age). */
  EDGE_RESCORE_MS: 24 * 3600 * 1000,
  /** How far in the future an event may be dated, in ms (clock skew). */
  EDGE_MAX_SKEW_MS: 5 * 60 * 1000,
  /** Days before an account's last event past which event ids are forgotten (and such events refused as too old). */
  EDGE_REPLAY_DAYS: 30,
  /** Built models kept per isolate. */
  EDGE_MODEL_CACHE: 8,
  /** Accounts moved to a newly published model per tenant alarm, and the alarm's period in ms. */
  EDGE_MOVE_BATCH: 50,
  EDGE_MOVE_EVERY_MS: 1000,
  /** Largest page of a list (accounts, history, dead letters). */
  EDGE_PAGE_MAX: 1000,
};

/** Settings that are not numbers: the operator's secret (a Workers secret) and the development flag. */
export const OTHER_SETTINGS = {
  /** The operator's secret, 32 characters or more (required: without it every route answers 503). */
  EDGE_OPERATOR_SECRET: null,
  /** `true` allows webhooks to loopback, private and link-local addresses, and http (development only). */
  EDGE_ALLOW_PRIVATE_WEBHOOKS: 'false',
};

/**
 * The wait before try `tries + 1` of a delivery, in ms: EDGE_RETRY_BASE_MS ×
 * EDGE_RETRY_FACTOR^(tries − 1), at most EDGE_RETRY_CAP_MS, times a jitter
 * in 0.8..1.2 (`random` in 0..1). With the defaults (30 s × 4ⁿ, capped at
 * 12 h, 12 tries): 30 s, 2 min, 8 min, 32 min, 2.1 h, 8.5 h, then 12 h five
 * times: about 71 hours, three days, from the first try to the last.
 */
export function retryDelay(tries, env, random = Math.random()) {
  const base = setting(env, 'EDGE_RETRY_BASE_MS') * setting(env, 'EDGE_RETRY_FACTOR') ** Math.max(0, tries - 1);
  return Math.round(Math.min(base, setting(env, 'EDGE_RETRY_CAP_MS')) * (0.8 + 0.4 * random));
}

/** A numeric setting from `env` (a text binding), else its default. */
export function setting(env, key) {
  const raw = env?.[key];
  if (raw === undefined || raw === null || raw === '') return DEFAULTS[key];
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULTS[key];
}
