import type { Config } from "../../config";
import { maxAttempts, retryDelay } from "../outcome";

/** Three retries after 1, 5 and 15 minutes: four attempts in all (the queue's max_retries = 3 matches). */
export const MAX_GENERATION_ATTEMPTS = maxAttempts("generation");

export const retryDelayAfter = (attempt: number) => retryDelay("generation", attempt);

/** How long a lock may be held before it is presumed dead: working time plus the longest backoff. */
export const lockStaleAfterMs = (cfg: Config) => (cfg.scheduler.workingTimeoutMinutes + 20) * 60_000;
