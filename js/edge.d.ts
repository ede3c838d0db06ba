// customer-health/edge: live scores at the edge (Cloudflare Workers, workerd).
// See js/edge.mjs for the routes and DESIGN-NOTES.md ("Live scores at the edge").

/** The bindings a worker gives `handle`: the two Durable Object namespaces, and optional settings. */
export interface EdgeEnv {
  ACCOUNTS: DurableObjectNamespaceLike;
  TENANTS: DurableObjectNamespaceLike;
  /** Largest request body read (default 65536). */
  EDGE_MAX_BODY_BYTES?: string;
  /** Deepest JSON nesting parsed (default 32). */
  EDGE_MAX_DEPTH?: string;
  /** Snapshots kept per account (default 730, at least 2); over it the older half is thinned. */
  EDGE_MAX_SNAPSHOTS?: string;
  /** Delivery attempts before an alert goes to the dead letters (default 6). */
  EDGE_MAX_TRIES?: string;
  /** First retry delay in ms, doubled each try (default 1000). */
  EDGE_RETRY_BASE_MS?: string;
  /** Rescoring period without events, in ms (default one day). */
  EDGE_RESCORE_MS?: string;
}

/** The part of a Durable Object namespace binding `handle` uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

/** An event for one account: absolute values, increments, or both. */
export interface HealthEvent {
  /** Applied once: a redelivery with the same id answers with the stored scorecard. */
  id: string;
  /** ISO date-time; older than the account's last event is refused (`out_of_order`, 409). */
  at: string;
  values?: Record<string, unknown>;
  increments?: Record<string, number>;
}

/** The body POSTed to the tenant's webhook (header `x-health-signature: sha256=<hex HMAC of the body>`, `idempotency-key`). */
export interface WebhookDelivery {
  tenant: string;
  accountId: string;
  idempotencyKey: string;
  alert: import('./types').Alert;
}

/** Routes a worker's request to the tenant and account objects. */
export declare function handle(request: Request, env: EdgeEnv): Promise<Response>;

/** The Durable Object of one account (SQLite storage). */
export declare class HealthAccount {
  constructor(ctx: unknown, env: EdgeEnv);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** The Durable Object of one tenant: its models by hash and its webhook. */
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
