import type { FailureClass } from "../db/schema";
import type { ErrorClass } from "../errors";
import { log } from "../lib/log";
import { recordDeadLetter } from "./dead-letter/record";

/*
 * What became of one message, the same for every consumer: done (acked), retry after N seconds,
 * or failed for good with its class. `recorded: false` means no row holds the failure yet, so the
 * message itself is kept as a dead letter: nothing is ever silently acked.
 */
export type JobOutcome =
  | { kind: "done"; reason: string }
  | { kind: "retry"; delaySeconds: number; reason: string }
  | { kind: "failed"; errorClass: ErrorClass | FailureClass; reason: string; recorded: boolean };

export const done = (reason: string): JobOutcome => ({ kind: "done", reason });
export const retryIn = (delaySeconds: number, reason: string): JobOutcome => ({ kind: "retry", delaySeconds: Math.max(0, Math.ceil(delaySeconds)), reason });
export const failedForGood = (errorClass: ErrorClass | FailureClass, reason: string, recorded = true): JobOutcome => ({
  kind: "failed",
  errorClass,
  reason,
  recorded,
});

/**
 * Retry delays, one table per queue (seconds after attempt 1, 2, 3). Generation: 1, 5, 15 minutes;
 * delivery: 1, 5, 30 minutes. Each allows its length + 1 attempts, matching the queues' max_retries = 3.
 */
export const RETRY_DELAYS_SECONDS = { generation: [60, 300, 900], delivery: [60, 300, 1800] } as const;
export type RetryTable = keyof typeof RETRY_DELAYS_SECONDS;

export const maxAttempts = (table: RetryTable) => RETRY_DELAYS_SECONDS[table].length + 1;

/** The wait after attempt `attempt` (1-based); past the table, its last step. */
export function retryDelay(table: RetryTable, attempt: number): number {
  const delays = RETRY_DELAYS_SECONDS[table];
  return delays[Math.min(Math.max(attempt, 1), delays.length) - 1]!;
}

/** Acks or retries the message as the outcome says; a failure nobody recorded becomes a dead letter first. */
export async function settle(env: Env, queue: string, message: Message<unknown>, outcome: JobOutcome, fields: Record<string, unknown> = {}) {
  if (outcome.kind === "retry") {
    message.retry({ delaySeconds: outcome.delaySeconds });
    return;
  }
  if (outcome.kind === "failed" && !outcome.recorded) {
    await recordDeadLetter(env, queue, message, outcome.reason);
    log("error", "message failed for good", { ...fields, messageId: message.id, errorClass: outcome.errorClass, reason: outcome.reason });
  }
  message.ack();
}
