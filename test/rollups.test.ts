import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { deliveryRollups, durationRollups, executionRollups, reportDeliveries } from "../src/db/schema";
import { percentiles } from "../src/domain/rollups";
import { evaluateAlerts } from "../src/jobs/alerts/evaluate";
import { applyRetention } from "../src/jobs/retention/apply-retention";
import { newCounters } from "../src/lib/instrument/counters";
import { countedD1 } from "../src/lib/instrument/d1";
import { getMetrics } from "../src/services/metrics/get-metrics";
import { api, expectError, newOrganization, type TestUser } from "./support/api";
import { consumeDeliveries, hookUrl } from "./support/delivery-factories";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";

const db = () => createDb(env.DB);

const rollupsOf = async (organizationId: string) => ({
  executions: await db().select().from(executionRollups).where(eq(executionRollups.organizationId, organizationId)),
  durations: await db().select().from(durationRollups).where(eq(durationRollups.organizationId, organizationId)),
  deliveries: await db().select().from(deliveryRollups).where(eq(deliveryRollups.organizationId, organizationId)),
});

/** getMetrics for the organization, through a D1 binding that counts what D1 says each exchange read. */
async function metricsCounted(user: TestUser, now = new Date()) {
  const counters = newCounters();
  const counted = { ...env, DB: countedD1(env.DB, () => counters) } as Env;
  const metrics = await getMetrics({ ctx: { env: counted, db: createDb(counted.DB), auth: { organizationId: user.organizationId } as never, now } });
  return { metrics, rowsRead: counters.d1.rowsRead, roundTrips: counters.d1.roundTrips };
}

describe("outcome rollups", () => {
  it("count a run and its deliveries once, through the real consumers, however often their messages come", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [{ type: "webhook", value: hookUrl() }] });
    const execution = await insertExecution(admin, report.id);
    await consume("report-generation", [generationJob(execution)]);
    // A redelivered message finds the run completed and changes nothing.
    await consume("report-generation", [generationJob(execution), generationJob(execution)]);
    const done = await executionById(execution.id);
    expect(done.status).toBe("completed");
    const [delivery] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.executionId, execution.id));
    const job = { kind: "deliver", deliveryId: delivery!.id, executionId: execution.id, organizationId: admin.organizationId };
    await consumeDeliveries([job]);
    await consumeDeliveries([job]);
    expect((await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, delivery!.id)))[0]!.status).toBe("sent");

    const r = await rollupsOf(admin.organizationId);
    expect(r.executions.map((x) => [x.status, x.errorClass, x.n])).toEqual([["completed", "", 1]]);
    expect(r.executions[0]!.bucketStart).toBe(Math.floor(done.completedAt!.getTime() / 300_000) * 300_000);
    expect(r.durations.map((x) => [x.reportType, x.n])).toEqual([[report.reportType, 1]]);
    expect(r.deliveries.map((x) => [x.channel, x.status, x.n])).toEqual([["webhook", "sent", 1]]);
  });

  it("count a failure with its error class, and the completion after a retry as a second outcome", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const failed = await insertExecution(admin, report.id, { status: "running", startedAt: new Date() });
    await env.DB.prepare("update report_executions set status = 'failed', error_class = 'timeout', completed_at = ?2 where id = ?1")
      .bind(failed.id, Date.now())
      .run();
    await env.DB.prepare("update report_executions set status = 'pending' where id = ?1").bind(failed.id).run();
    await env.DB.prepare("update report_executions set status = 'completed', completed_at = ?2, duration_ms = 1234 where id = ?1")
      .bind(failed.id, Date.now())
      .run();
    const r = await rollupsOf(admin.organizationId);
    expect(r.executions.map((x) => [x.status, x.errorClass]).sort()).toEqual([
      ["completed", ""],
      ["failed", "timeout"],
    ]);
    // Durations are kept to two significant digits.
    expect(r.durations.map((x) => x.durationMs)).toEqual([1200]);
  });

  it("are pruned by the daily retention after 35 days, recent ones kept", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await insertExecution(admin, report.id, { status: "completed", completedAt: daysAgo(36), durationMs: 10, createdAt: daysAgo(36) });
    await insertExecution(admin, report.id, { status: "completed", completedAt: daysAgo(34), durationMs: 20, createdAt: daysAgo(34) });
    const result = await applyRetention(env, now);
    expect(result.rollupRowsPruned).toBeGreaterThanOrEqual(2);
    const r = await rollupsOf(admin.organizationId);
    expect(r.executions.map((x) => x.bucketStart)).toEqual([Math.floor(daysAgo(34).getTime() / 300_000) * 300_000]);
    expect(r.durations.map((x) => x.durationMs)).toEqual([20]);
  });

  it("give percentiles by nearest rank over buckets", () => {
    const histogram = Array.from({ length: 100 }, (_, i) => ({ durationMs: i + 1, n: 1 }));
    expect(percentiles(histogram, [50, 95, 99])).toEqual({ count: 100, values: [50, 95, 99] });
    expect(
      percentiles(
        [
          { durationMs: 1200, n: 19 },
          { durationMs: 360_000, n: 1 },
        ],
        [50, 95, 100],
      ).values,
    ).toEqual([1200, 1200, 360_000]);
    expect(percentiles([], [50])).toEqual({ count: 0, values: [0] });
  });
});

describe("GET /api/metrics/series", () => {
  it("gives runs, run time percentiles and deliveries per hour up to a week and per day beyond, for the caller's organization only", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const HOUR = 3_600_000;
    const now = Date.now();
    const hour = Math.floor(now / HOUR) * HOUR;
    // Two hours ago: 3 completed runs (100, 200, 300 ms) and 1 failure; this hour: 1 completed run.
    for (const ms of [100, 200, 300]) {
      await insertExecution(admin, report.id, { status: "completed", completedAt: new Date(hour - 2 * HOUR + 60_000), durationMs: ms });
    }
    await insertExecution(admin, report.id, { status: "failed", errorClass: "timeout", completedAt: new Date(hour - 2 * HOUR + 60_000) });
    const latest = await insertExecution(admin, report.id, { status: "completed", completedAt: new Date(hour + 1000), durationMs: 50 });
    await env.DB.prepare(
      `insert into report_deliveries (id, organization_id, report_execution_id, recipient_type, recipient_value, status, attempts, created_at, updated_at)
       values (?1, ?2, ?3, 'email', 'a@example.com', 'sent', 1, ?4, ?4), (?5, ?2, ?3, 'slack', 'https://hooks.example.com/x', 'failed', 4, ?4, ?4)`,
    )
      .bind(crypto.randomUUID(), admin.organizationId, latest.id, hour + 2000, crypto.randomUUID())
      .run();
    // Another organization's runs never show.
    const other = await reportWithData({ format: "csv" });
    await insertExecution(other.admin, other.report.id, { status: "failed", completedAt: new Date(hour + 1000) });

    const res = await api("/api/metrics/series?days=2", { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.step).toBe("hour");
    expect(res.body.runs).toEqual([
      { at: new Date(hour - 2 * HOUR).toISOString(), completed: 3, failed: 1 },
      { at: new Date(hour).toISOString(), completed: 1, failed: 0 },
    ]);
    expect(res.body.durations).toEqual([
      { at: new Date(hour - 2 * HOUR).toISOString(), reportType: report.reportType, count: 3, p50: 200, p95: 300 },
      { at: new Date(hour).toISOString(), reportType: report.reportType, count: 1, p50: 50, p95: 50 },
    ]);
    expect(res.body.deliveries).toEqual([
      { at: new Date(hour).toISOString(), channel: "email", sent: 1, failed: 0, bounced: 0 },
      { at: new Date(hour).toISOString(), channel: "slack", sent: 0, failed: 1, bounced: 0 },
    ]);

    const monthly = await api("/api/metrics/series?days=30", { token: admin.token });
    expect(monthly.body.step).toBe("day");
    const day = Math.floor(now / 86_400_000) * 86_400_000;
    const total = monthly.body.runs.reduce(
      (sum: { completed: number; failed: number }, r: { completed: number; failed: number }) => ({
        completed: sum.completed + r.completed,
        failed: sum.failed + r.failed,
      }),
      { completed: 0, failed: 0 },
    );
    expect(total).toEqual({ completed: 4, failed: 1 });
    expect(monthly.body.runs.every((r: { at: string }) => new Date(r.at).getTime() % 86_400_000 === 0 && new Date(r.at).getTime() <= day)).toBe(true);

    expectError(await api("/api/metrics/series?days=31", { token: admin.token }), 400);
    expectError(await api("/api/metrics/series?days=two", { token: admin.token }), 400);
    expect((await api("/api/metrics/series", { token: (await newOrganization()).token })).body).toMatchObject({
      step: "hour",
      runs: [],
      durations: [],
      deliveries: [],
    });
  });
});

describe("/api/metrics and the alert pass at 1,000,000 executions", () => {
  it("read a bounded number of rows whatever the history's size", { timeout: 600_000 }, async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const now = Date.now();
    const DAY = 86_400_000;
    // 1,000,000 finished runs over the 30 days before last week, in one statement; the outcome
    // triggers count them into their (old) buckets as the completions would have.
    await env.DB.prepare(
      `with recursive i(n) as (select 0 union all select n + 1 from i where n < 999999)
       insert into report_executions (id, organization_id, scheduled_report_id, scheduled_for, trigger, status, attempt, format, trace_id,
                                      started_at, completed_at, duration_ms, error_class, created_at)
       select 'old-' || n, ?1, ?2, ?3 - 8 * ${DAY} - n * 2592, 'schedule', case when n % 10 = 0 then 'failed' else 'completed' end, 1, 'csv', 'trace',
              ?3 - 8 * ${DAY} - n * 2592 - 1000, ?3 - 8 * ${DAY} - n * 2592, 1000 + n % 5000, case when n % 10 = 0 then 'timeout' end, ?3 - 8 * ${DAY} - n * 2592
         from i`,
    )
      .bind(admin.organizationId, report.id, now)
      .run();
    // And today's activity: 50 runs in the last hour.
    for (let i = 0; i < 50; i++) {
      await insertExecution(admin, report.id, {
        status: "completed",
        completedAt: new Date(now - i * 60_000),
        durationMs: 100 + i,
        createdAt: new Date(now - i * 60_000),
      });
    }
    const { metrics, rowsRead, roundTrips } = await metricsCounted(admin, new Date(now));
    expect(metrics.successRate.lastHour).toEqual({ completed: 50, failed: 0, rate: 1 });
    expect(metrics.business.executionsThisWeek).toBe(50);
    expect(roundTrips).toBe(1);
    // The bound: the rollup rows of the windows shown (here a few dozen) plus the organization's
    // reports and backlog, nothing that grows with the 1,000,000 runs of history.
    expect(rowsRead).toBeLessThan(500);

    const counters = newCounters();
    await evaluateAlerts({ ...env, DB: countedD1(env.DB, () => counters) } as Env, new Date(now));
    expect(counters.d1.rowsRead).toBeLessThan(500);
    // The history is there: what is bounded is what the readers touch.
    const [{ total }] = (
      await env.DB.prepare("select sum(n) as total from execution_rollups where organization_id = ?1").bind(admin.organizationId).all<{ total: number }>()
    ).results as [{ total: number }];
    expect(total).toBe(1_000_050);
    expect(
      (
        await db()
          .select()
          .from(executionRollups)
          .where(and(eq(executionRollups.organizationId, admin.organizationId), eq(executionRollups.status, "failed")))
      ).length,
    ).toBeGreaterThan(0);
  });
});
