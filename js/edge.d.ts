// customer-health/edge: live scores at the edge (Cloudflare Workers, workerd).
// See js/edge.mjs for the routes and DESIGN-NOTES.md ("Live scores at the edge").

/**
 * The bindings a worker gives `handle`: the two Durable Object namespaces,
 * the operator's secret, and optional settings (text, as bindings are; every
 * one with its default is in `customer-health/edge/settings`).
 */
export interface EdgeEnv {
  ACCOUNTS: DurableObjectNamespaceLike;
  TENANTS: DurableObjectNamespaceLike;
  /** The operator's secret (a Workers secret, 32 characters or more): every scope on every tenant. Without it every route answers 503 `not_configured`. */
  EDGE_OPERATOR_SECRET: string;
  /** `"true"` allows webhooks to loopback, private and link-local addresses, and http (development only). */
  EDGE_ALLOW_PRIVATE_WEBHOOKS?: string;
  /** Any numeric setting of `DEFAULTS`, e.g. `EDGE_MAX_TRIES: "12"`. */
  [setting: `EDGE_${string}`]: string | DurableObjectNamespaceLike | undefined;
}

/** The part of a Durable Object namespace binding `handle` uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

/** An event for one account: values, increments, fields, value, notes, or several. */
export interface HealthEvent {
  /** Applied once: a redelivery with the same content answers with the stored scorecard; the same id with another content is `id_conflict` (409). */
  id: string;
  /** ISO date-time; older than the account's last event is refused (`out_of_order`, 409; `too_old` past the replay horizon), more than EDGE_MAX_SKEW_MS ahead of the service's clock is `in_future` (400). */
  at: string;
  /** Measures set (a series as its points, replacing the stored ones; null removes a value). */
  values?: Record<string, unknown>;
  /** Numbers added to measures (to 0 when a measure has no value). */
  increments?: Record<string, number>;
  /** Attributes that are not measures (`seats` for a per-seat measure); null removes one. */
  fields?: Record<string, unknown>;
  /** The account's worth (ARR or similar); null removes it. */
  value?: number | null;
  /** The CSM's reasons by measure (`{ author, at, comment, reason }`); a changed value drops its note. */
  notes?: Record<string, unknown>;
  name?: string | null;
  segment?: string | null;
}

/**
 * The body POSTed to the tenant's webhook, with the headers `idempotency-key`
 * (`<tenant>:<account>:<at>:<kind>:<snapshot number>`, ids percent-encoded) and
 * `x-health-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]` (check it with
 * `verifyWebhook` from `customer-health/webhook`).
 */
export interface WebhookDelivery {
  tenant: string;
  accountId: string;
  idempotencyKey: string;
  alert: import('./types.js').Alert;
}

export { signWebhook, verifyWebhook, SIGNATURE_TOLERANCE_SECONDS } from './webhook.js';
export { DEFAULTS } from './edge-settings.js';

/** Routes a worker's request to the tenant and account objects. */
export declare function handle(request: Request, env: EdgeEnv): Promise<Response>;

/** The Durable Object of one account (SQLite storage). */
export declare class HealthAccount {
  constructor(ctx: unknown, env: EdgeEnv);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** The Durable Object of one tenant: its keys (hashed), models by hash, webhook, account index, dead letters and counters. */
export declare class HealthTenant {
  constructor(ctx: unknown, env: EdgeEnv);
  fetch(request: Request): Promise<Response>;
}

/**
 * A request's body as JSON, refused before it is read past `maxBytes` (64 KiB)
 * or parsed past `maxDepth` (32) levels: `{ value }`, or `{ error }`, the
 * answer to send (`status`, default 400; code `too_large` or `invalid_json`).
 */
export declare function readJsonBody(
  request: Request,
  options?: { maxBytes?: number; maxDepth?: number; status?: number },
): Promise<{ value: unknown; error?: undefined } | { error: Response; value?: undefined }>;
