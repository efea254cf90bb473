import { z } from "zod";
import { traceparentOf } from "../lib/trace";
import { eachLimited } from "./pool";

/*
 * The queue message catalog: one schema per queue, parsed before use, and the one place that
 * builds each message (the scheduler, the consumers, the watchdog and the request verbs that
 * start background work all enqueue through the functions below). Messages carry ids only,
 * never report data: a message is at most 128 KB, and rows belong in D1 and R2.
 */
const traceparent = z
  .string()
  .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
  .optional();
const id = z.string().min(1);

export const GenerationJobSchema = z.object({
  kind: z.literal("generate"),
  executionId: id,
  organizationId: id,
  scheduledReportId: id,
  traceparent,
  /** Sent on the heavy queue (and sent back there when it waits). */
  heavy: z.boolean().optional(),
});
export type GenerationJob = z.infer<typeof GenerationJobSchema>;

const DeliverJobSchema = z.object({
  kind: z.literal("deliver"),
  deliveryId: id,
  executionId: id,
  organizationId: id,
  traceparent,
  /** Sent again by the watchdog for a delivery overdue by the scheduler's clock: it may take over an attempt that looks in flight. */
  recovered: z.literal(true).optional(),
});
export type DeliverJob = z.infer<typeof DeliverJobSchema>;

export const DeliveryJobSchema = z.discriminatedUnion("kind", [
  DeliverJobSchema,
  /** Tells a report's creator that an execution failed for good (sent by the email channel). */
  z.object({ kind: z.literal("notify_execution_failed"), executionId: id, organizationId: id, traceparent }),
  /** Tells the organization's alert routes (or, for a system-wide alert, the operator's) that an alert fired or cleared. */
  z.object({ kind: z.literal("notify_alert"), alertId: id, organizationId: id, event: z.enum(["fired", "resolved"]).default("fired") }),
]);
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;

export type JobMessage = GenerationJob | DeliveryJob;

export const QUEUES = {
  generation: "report-generation",
  heavyGeneration: "report-generation-heavy",
  delivery: "report-delivery",
  generationDlq: "report-generation-dlq",
  deliveryDlq: "report-delivery-dlq",
} as const;

/** Queues take at most 100 messages per sendBatch call; up to SEND_CONCURRENCY calls are in flight at once. */
const SEND_CONCURRENCY = 4;

async function sendAll<T>(queue: Queue<T>, bodies: T[], delaySeconds?: number) {
  const calls: T[][] = [];
  for (let i = 0; i < bodies.length; i += 100) calls.push(bodies.slice(i, i + 100));
  await eachLimited(calls, SEND_CONCURRENCY, async (batch) => {
    await queue.sendBatch(batch.map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })));
  });
}

/**
 * An execution to generate: its ids, the trace id every line about it carries, and what tells a
 * heavy run (its format, and the rows of its report's last run) from a light one.
 */
export type RunRef = {
  id: string;
  organizationId: string;
  scheduledReportId: string;
  traceId: string | null;
  format?: string;
  lastRowCount?: number | null;
};

/** Reports whose last run had more rows than this generate on the heavy queue. */
export const HEAVY_ROW_THRESHOLD = 50_000;

/**
 * A PDF (a browser session, seconds of rendering) or a large file generates on its own queue, whose
 * batches hold one run, so that small reports never wait behind it.
 */
export const isHeavyRun = (r: { format?: string; lastRowCount?: number | null }) => r.format === "pdf" || (r.lastRowCount ?? 0) > HEAVY_ROW_THRESHOLD;

const generationQueue = (env: Env, heavy: boolean | undefined) => (heavy ? env.HEAVY_GENERATION_QUEUE : env.GENERATION_QUEUE);

export async function enqueueGeneration(env: Env, runs: RunRef[]) {
  const jobs = runs.map(
    (r): GenerationJob => ({
      kind: "generate",
      executionId: r.id,
      organizationId: r.organizationId,
      scheduledReportId: r.scheduledReportId,
      traceparent: traceparentOf(r.traceId),
      ...(isHeavyRun(r) ? { heavy: true } : {}),
    }),
  );
  await sendAll(
    env.GENERATION_QUEUE,
    jobs.filter((j) => !j.heavy),
  );
  await sendAll(
    env.HEAVY_GENERATION_QUEUE,
    jobs.filter((j) => j.heavy),
  );
}

/** The same generation message again, later, on the queue it came from: a run waiting for its turn does not use up the queue's retries. */
export function deferGeneration(env: Env, job: GenerationJob, delaySeconds: number) {
  return generationQueue(env, job.heavy).send(job, { delaySeconds });
}

export type DeliveryRef = { id: string; executionId: string; organizationId: string; traceId?: string | null; recovered?: true };

export function enqueueDeliveries(env: Env, deliveries: DeliveryRef[], delaySeconds?: number) {
  const jobs = deliveries.map(
    (d): DeliverJob => ({
      kind: "deliver",
      deliveryId: d.id,
      executionId: d.executionId,
      organizationId: d.organizationId,
      traceparent: traceparentOf(d.traceId),
      ...(d.recovered ? { recovered: true as const } : {}),
    }),
  );
  return sendAll(env.DELIVERY_QUEUE, jobs, delaySeconds);
}

/** The same delivery message again, later: a fresh message, so waiting does not use up the queue's retries. */
export function deferDelivery(env: Env, job: DeliverJob, delaySeconds: number) {
  return env.DELIVERY_QUEUE.send(job, { delaySeconds });
}

/** One message per delivery of the execution still pending: safe to repeat (the delivery consumer checks status). */
export async function enqueuePendingDeliveries(env: Env, execution: { id: string; organizationId: string; traceId: string | null }) {
  const { results } = await env.DB.prepare("select id from report_deliveries where report_execution_id = ?1 and organization_id = ?2 and status = 'pending'")
    .bind(execution.id, execution.organizationId)
    .all<{ id: string }>();
  await enqueueDeliveries(
    env,
    results.map((d) => ({ id: d.id, executionId: execution.id, organizationId: execution.organizationId, traceId: execution.traceId })),
  );
  return results.length;
}

export function enqueueExecutionFailedNotice(env: Env, execution: { id: string; organizationId: string; traceId: string | null }) {
  return sendAll(env.DELIVERY_QUEUE, [
    { kind: "notify_execution_failed", executionId: execution.id, organizationId: execution.organizationId, traceparent: traceparentOf(execution.traceId) },
  ]);
}

export type AlertEvent = "fired" | "resolved";

export function enqueueAlertNotices(env: Env, alerts: { id: string; organizationId: string }[], event: AlertEvent = "fired") {
  return sendAll(
    env.DELIVERY_QUEUE,
    alerts.map((a) => ({ kind: "notify_alert" as const, alertId: a.id, organizationId: a.organizationId, event })),
  );
}
