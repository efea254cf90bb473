import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { createDb } from "../../src/db/client";
import { reportDeliveries, reportExecutions, scheduledReports } from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import worker from "../../src/index";
import type { GenerationJob } from "../../src/jobs/messages";
import { newTraceId, traceparentOf } from "../../src/lib/trace";
import { reportTypes } from "../../src/reports/registry";
import { newOrganization, type TestUser } from "./api";
import { createReport } from "./factories";

export const db = () => createDb(env.DB);

/** An organization with a small seeded demo business, its admin, and one report over it. */
export async function reportWithData(overrides: Record<string, unknown> = {}, now = new Date()) {
  const admin = await newOrganization();
  await seedDemoData(env.DB, admin.organizationId, { now, scale: 0.02 });
  const report = await createReport(admin, overrides);
  return { admin, report };
}

export async function setNextRun(reportId: string, at: Date) {
  await db().update(scheduledReports).set({ nextRunAt: at }).where(eq(scheduledReports.id, reportId));
}

type ExecutionOverrides = Partial<typeof reportExecutions.$inferInsert>;

/** An execution row written directly (no queue message), for driving the consumer by hand. */
export async function insertExecution(user: TestUser, reportId: string, overrides: ExecutionOverrides = {}) {
  const [report] = await db().select().from(scheduledReports).where(eq(scheduledReports.id, reportId));
  const row = {
    id: crypto.randomUUID(),
    organizationId: user.organizationId,
    scheduledReportId: reportId,
    scheduledFor: new Date(Math.floor(Date.now() / 60_000) * 60_000 - Math.floor(Math.random() * 1e6) * 60_000),
    trigger: "schedule" as const,
    status: "pending" as const,
    format: report!.format,
    traceId: newTraceId(),
    nextAttemptAt: new Date(),
    createdAt: new Date(),
    ...overrides,
  };
  await db().insert(reportExecutions).values(row);
  return row;
}

export const generationJob = (e: { id: string; organizationId: string; scheduledReportId: string; traceId: string }): GenerationJob => ({
  kind: "generate",
  executionId: e.id,
  organizationId: e.organizationId,
  scheduledReportId: e.scheduledReportId,
  traceparent: traceparentOf(e.traceId),
});

/**
 * Hands a batch to the Worker's queue handler and returns what it acked and retried, with the
 * delay asked for on each retry (getQueueResult does not report delays, so retry() is observed).
 */
export async function consume(queue: string, bodies: unknown[], opts: { attempts?: number; env?: Partial<Env> } = {}) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, (opts.env ? { ...env, ...opts.env } : env) as Env);
  await waitOnExecutionContext(ctx);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

export async function tick(at: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron: "* * * * *" }), env);
  await waitOnExecutionContext(ctx);
}

export async function executionsOf(reportId: string) {
  return db().select().from(reportExecutions).where(eq(reportExecutions.scheduledReportId, reportId)).orderBy(reportExecutions.scheduledFor);
}

export async function executionById(id: string) {
  const [row] = await db().select().from(reportExecutions).where(eq(reportExecutions.id, id));
  return row!;
}

/**
 * A report type whose query fails the way a database outage does (a retryable error), registered
 * for the test that needs it: the registry is a plain object in the same isolate as the Worker.
 */
export function registerFailingReportType(id = "test_failing_source") {
  reportTypes[id] ??= {
    id,
    name: "Always failing (test)",
    description: "Its data source is down",
    source: { kind: "d1", name: "DB" },
    parameters: z.object({}),
    formats: ["csv", "xlsx", "pdf"],
    columns: () => [{ key: "x", label: "X", type: "string" }],
    async fetchPage() {
      throw new Error("D1_ERROR: Network connection lost");
    },
    describeParameters: () => "",
  };
  return id;
}

/** `n` pending runs of one report whose messages were expected at `expectedAt`, written in one statement; returns their ids. */
export async function insertPendingRuns(user: TestUser, reportId: string, n: number, expectedAt: number): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({ id: crypto.randomUUID(), at: Date.UTC(2020, 0, 1) + i * 60_000 }));
  await env.DB.prepare(
    `insert into report_executions (id, organization_id, scheduled_report_id, scheduled_for, trigger, status, attempt, format, trace_id, next_attempt_at, created_at)
     select json_extract(value, '$.id'), ?2, ?3, json_extract(value, '$.at'), 'schedule', 'pending', 0, 'csv', 'trace', ?4, ?4 from json_each(?1)`,
  )
    .bind(JSON.stringify(rows), user.organizationId, reportId, expectedAt)
    .run();
  return rows.map((r) => r.id);
}

/** A pending delivery of an execution, written by hand, so that no real queue message races the test. */
export async function insertDelivery(user: TestUser, executionId: string, recipient = { type: "email" as const, value: "ops@example.com" }) {
  const now = new Date();
  const [delivery] = await db()
    .insert(reportDeliveries)
    .values({
      id: crypto.randomUUID(),
      organizationId: user.organizationId,
      executionId,
      recipientType: recipient.type,
      recipientValue: recipient.value,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return delivery!;
}
