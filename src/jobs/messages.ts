import { z } from "zod";

/*
 * The queue message catalog: one schema per queue, parsed before use. Messages carry ids only,
 * never report data (a message is at most 128 KB, and rows belong in D1 and R2).
 */
const traceparent = z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/).optional();

export const GenerationJobSchema = z.object({
  kind: z.literal("generate"),
  executionId: z.string().min(1),
  organizationId: z.string().min(1),
  scheduledReportId: z.string().min(1),
  traceparent,
});
export type GenerationJob = z.infer<typeof GenerationJobSchema>;

export const DeliveryJobSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("deliver"), deliveryId: z.string().min(1), executionId: z.string().min(1), organizationId: z.string().min(1), traceparent }),
  /** Tells a report's creator that an execution failed for good (sent by the email channel). */
  z.object({ kind: z.literal("notify_execution_failed"), executionId: z.string().min(1), organizationId: z.string().min(1), traceparent }),
  /** Tells the organization's admins (or, for a system-wide alert, OPERATOR_EMAIL) that an alert fired. */
  z.object({ kind: z.literal("notify_alert"), alertId: z.string().min(1), organizationId: z.string().min(1) }),
]);
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;

export type JobMessage = GenerationJob | DeliveryJob;

export const QUEUES = {
  generation: "report-generation",
  delivery: "report-delivery",
  generationDlq: "report-generation-dlq",
  deliveryDlq: "report-delivery-dlq",
} as const;

/** Queues take at most 100 messages per sendBatch call. */
export async function sendAll<T>(queue: Queue<T>, bodies: T[], delaySeconds?: number) {
  for (let i = 0; i < bodies.length; i += 100) {
    await queue.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })));
  }
}
