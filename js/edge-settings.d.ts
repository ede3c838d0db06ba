// customer-health/edge/settings: the edge service's settings and their defaults.

/** Every numeric setting (a text binding in the worker's env) with its default. */
export declare const DEFAULTS: Readonly<Record<
  | 'EDGE_MAX_BODY_BYTES' | 'EDGE_MAX_BACKFILL_BYTES' | 'EDGE_MAX_BACKFILL' | 'EDGE_MAX_MODEL_BYTES' | 'EDGE_MAX_DEPTH'
  | 'EDGE_MAX_SNAPSHOTS' | 'EDGE_MAX_TRIES' | 'EDGE_RETRY_BASE_MS' | 'EDGE_RETRY_FACTOR' | 'EDGE_RETRY_CAP_MS'
  | 'EDGE_DELIVERY_TIMEOUT_MS' | 'EDGE_NO_WEBHOOK_WAIT_MS' | 'EDGE_RESCORE_MS' | 'EDGE_MAX_SKEW_MS' | 'EDGE_REPLAY_DAYS'
  | 'EDGE_MODEL_CACHE' | 'EDGE_MOVE_BATCH' | 'EDGE_MOVE_EVERY_MS' | 'EDGE_PAGE_MAX',
  number
>>;

/** The settings that are not numbers: the operator's secret (required) and the development flag. */
export declare const OTHER_SETTINGS: Readonly<{ EDGE_OPERATOR_SECRET: null; EDGE_ALLOW_PRIVATE_WEBHOOKS: string }>;

/**
 * The wait in ms before try `tries + 1` of a delivery: EDGE_RETRY_BASE_MS ×
 * EDGE_RETRY_FACTOR^(tries − 1), at most EDGE_RETRY_CAP_MS, times a jitter in
 * 0.8..1.2 (`random` in 0..1; 0.5 gives the schedule without jitter).
 */
export declare function retryDelay(tries: number, env?: Record<string, string | undefined>, random?: number): number;

/** A numeric setting from `env` (a text binding), else its default. */
export declare function setting(env: Record<string, string | undefined> | undefined, key: keyof typeof DEFAULTS): number;
