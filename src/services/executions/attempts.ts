/**
 * The architecture's "retry_count < 3, backoff 1 min, 5 min, 15 min": three retries, so four
 * attempts in all (the queue's max_retries = 3 matches).
 */
export const GENERATION_RETRY_DELAYS_SECONDS = [60, 300, 900] as const;
export const MAX_GENERATION_ATTEMPTS = GENERATION_RETRY_DELAYS_SECONDS.length + 1;

export const retryDelayAfter = (attempt: number) => GENERATION_RETRY_DELAYS_SECONDS[Math.min(attempt, GENERATION_RETRY_DELAYS_SECONDS.length) - 1] ?? 900;

/** How long a lock may be held before it is presumed dead: working time plus the longest backoff. */
export const lockStaleAfterMs = (env: Env) => (Number(env.WORKING_TIMEOUT_MINUTES) + 20) * 60_000;
