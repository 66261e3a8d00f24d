// The defaults of `replay --live`, in a module of their own with no imports, so the CLI can show them in its help
// without loading the replay.

/** Queries in flight at once. */
export const DEFAULT_LIVE_CONCURRENCY = 4;
/** Most queries a live replay may send; one needing more is refused before any is sent. */
export const DEFAULT_MAX_LIVE_QUERIES = 2000;
/** The service's time limit for one query, in seconds: the Logs query API's own default server timeout. */
export const DEFAULT_LIVE_TIMEOUT_SECONDS = 180;
/** Retries of a failed query. */
export const DEFAULT_LIVE_RETRIES = 3;
