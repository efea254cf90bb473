import type { DeliveryFailure } from "../../channels/types";
import { maxAttempts, retryDelay } from "../outcome";

/** Four attempts in all: the first, then retries after 1, 5 and 30 minutes. */
export const MAX_ATTEMPTS = maxAttempts("delivery");
/** Queues accept retry delays up to 12 hours; a longer Retry-After is capped there. */
export const MAX_DELAY_SECONDS = 12 * 3600;

export type RetryPlan = { retry: true; delaySeconds: number } | { retry: false };

/**
 * Whether and when attempt number `attempt` (1-based) is followed by another. A final class never
 * is; a retryable one waits its backoff step, or longer when the far side asked (Retry-After).
 */
export function planRetry(failure: DeliveryFailure, attempt: number): RetryPlan {
  if (!failure.retryable || attempt >= MAX_ATTEMPTS) return { retry: false };
  const asked = failure.extra.retryAfterSeconds ?? 0;
  return { retry: true, delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(retryDelay("delivery", attempt), asked)) };
}
