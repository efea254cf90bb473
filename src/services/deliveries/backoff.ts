import type { DeliveryFailure } from "../../channels/types";

/** Four attempts in all: the first, then retries after 1, 5 and 30 minutes. */
export const BACKOFF_SECONDS = [60, 300, 1800] as const;
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;
/** Queues accept retry delays up to 12 hours; a longer Retry-After is capped there. */
export const MAX_DELAY_SECONDS = 12 * 3600;

export type RetryPlan = { retry: true; delaySeconds: number } | { retry: false };

/**
 * Whether and when attempt number `attempt` (1-based) is followed by another. A final class never
 * is; a retryable one waits its backoff step, or longer when the far side asked (Retry-After).
 */
export function planRetry(failure: DeliveryFailure, attempt: number): RetryPlan {
  if (!failure.retryable || attempt >= MAX_ATTEMPTS) return { retry: false };
  const backoff = BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length) - 1]!;
  const asked = failure.extra.retryAfterSeconds ?? 0;
  return { retry: true, delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(backoff, asked)) };
}

/** What the consumer does with the message. */
export type QueueDecision = { action: "ack"; reason: string } | { action: "retry"; delaySeconds: number; reason: string };
export const ack = (reason: string): QueueDecision => ({ action: "ack", reason });
export const retryIn = (delaySeconds: number, reason: string): QueueDecision => ({ action: "retry", delaySeconds: Math.max(0, Math.ceil(delaySeconds)), reason });
