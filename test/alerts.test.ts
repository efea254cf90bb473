import { createScheduledController, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fileRecordedStatement } from "../src/domain/usage";
import type { SchedulerHeartbeat } from "../src/durable-objects/scheduler-heartbeat";
import { evaluateAlerts } from "../src/jobs/alerts/evaluate";
import { runSchedulerTick } from "../src/jobs/schedule/tick";
import { api, newOrganization, type TestUser } from "./support/api";
import { createReport } from "./support/factories";
import { setQuotas } from "./support/operator";
import { consume, insertExecution, insertPendingRuns } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

const minutesAgo = (m: number, from = Date.now()) => new Date(from - m * 60_000);
/** Now, or earlier in this hour: a test that evaluates twice a minute apart stays in one hourly alert window. */
const withinOneHour = () => {
  const hour = 3_600_000;
  return Math.min(Date.now(), Math.floor(Date.now() / hour) * hour + 55 * 60_000);
};
const alertsOf = async (user: TestUser) =>
  (await api("/api/alerts?limit=100", { token: user.token })).body.items.filter((a: any) => a.scope === "organization");

async function runs(user: TestUser, reportId: string, count: number, overrides: Record<string, unknown>) {
  for (let i = 0; i < count; i++) await insertExecution(user, reportId, overrides);
}

describe("alert rules", () => {
  it("fires the failure-rate alert once when over 10% of the last 15 minutes' runs failed, and not below", async () => {
    const bad = await newOrganization();
    const fine = await newOrganization();
    const r1 = await createReport(bad);
    const r2 = await createReport(fine);
    const now = withinOneHour();
    await runs(bad, r1.id, 8, { status: "completed", completedAt: minutesAgo(5, now), durationMs: 100 });
    await runs(bad, r1.id, 2, { status: "failed", completedAt: minutesAgo(5, now) });
    await runs(fine, r2.id, 19, { status: "completed", completedAt: minutesAgo(5, now), durationMs: 100 });
    await runs(fine, r2.id, 1, { status: "failed", completedAt: minutesAgo(5, now) }); // 5%: below 10%
    await evaluateAlerts(env, new Date(now));
    await evaluateAlerts(env, new Date(now + 60_000)); // the next minute: same window
    const fired = await alertsOf(bad);
    expect(fired.map((a: any) => [a.rule, a.value])).toEqual([["failure_rate", 0.2]]);
    expect(fired[0].message).toMatch(/20\.0% of report runs failed/);
    expect(await alertsOf(fine)).toEqual([]);
  });

  it("fires the backlog alert when more than the threshold have waited over 5 minutes", async () => {
    const org = await newOrganization();
    const report = await createReport(org);
    const now = new Date();
    // The threshold is 500; 501 runs queued 6 minutes ago, inserted in one statement.
    await insertPendingRuns(org, report.id, 501, now.getTime() - 6 * 60_000);
    await evaluateAlerts(env, now);
    expect((await alertsOf(org)).map((a: any) => [a.rule, a.value])).toEqual([["queue_backlog", 501]]);
  });

  it("fires the slow-execution alert when the hour's P95 is over 5 minutes, not when only the slowest 5% are", async () => {
    const slow = await newOrganization();
    const fine = await newOrganization();
    const report = await createReport(slow);
    const other = await createReport(fine);
    await runs(slow, report.id, 18, { status: "completed", completedAt: minutesAgo(10), durationMs: 1000 });
    await runs(slow, report.id, 2, { status: "completed", completedAt: minutesAgo(10), durationMs: 6 * 60_000 });
    await runs(fine, other.id, 19, { status: "completed", completedAt: minutesAgo(10), durationMs: 1000 });
    await runs(fine, other.id, 1, { status: "completed", completedAt: minutesAgo(10), durationMs: 6 * 60_000 });
    await evaluateAlerts(env, new Date());
    expect((await alertsOf(slow)).map((a: any) => a.rule)).toEqual(["slow_executions"]);
    expect(await alertsOf(fine)).toEqual([]);
  });

  it("fires the storage alert over 80% of the quota, read from the organization's storage counter", async () => {
    const org = await newOrganization();
    const report = await createReport(org);
    // A file from before the counter existed: the counter starts from a scan when first used (here,
    // by the operator's call, which shows the usage).
    await insertExecution(org, report.id, { status: "completed", fileKey: "k1", fileSize: 700, completedAt: minutesAgo(1) });
    expect((await setQuotas(org.organizationId, { storageBytes: 1000 })).usage.storageBytes).toBe(700);
    await evaluateAlerts(env, new Date());
    expect(await alertsOf(org)).toEqual([]);
    // A run completing with a 200-byte file: the counter grows in the batch that records it.
    const running = await insertExecution(org, report.id, { status: "running", startedAt: minutesAgo(1) });
    await env.DB.batch([
      fileRecordedStatement(env.DB, { organizationId: org.organizationId, executionId: running.id, bytes: 200, files: 1 }, new Date()),
      env.DB.prepare("update report_executions set status = 'completed', file_key = 'k2', file_size = 200, completed_at = ?2 where id = ?1").bind(
        running.id,
        Date.now(),
      ),
    ]);
    await evaluateAlerts(env, new Date());
    expect((await alertsOf(org)).map((a: any) => [a.rule, a.value])).toEqual([["storage_quota", 0.9]]);
  });

  it("fires the bounce-rate alert over 5% of the day's emails, not at 5%", async () => {
    const withBounces = async (bounced: number) => {
      const org = await newOrganization();
      const report = await createReport(org);
      const execution = await insertExecution(org, report.id, { status: "completed" });
      const values = Array.from(
        { length: 20 },
        (_, i) =>
          `('${crypto.randomUUID()}', '${org.organizationId}', '${execution.id}', 'email', 'u${i}@example.com', '${i < bounced ? "bounced" : "sent"}', 1, ${Date.now()}, ${Date.now()})`,
      );
      await env.DB.exec(
        `insert into report_deliveries (id, organization_id, report_execution_id, recipient_type, recipient_value, status, attempts, created_at, updated_at) values ${values.join(", ")}`,
      );
      return org;
    };
    const bad = await withBounces(2);
    const fine = await withBounces(1);
    await evaluateAlerts(env, new Date());
    expect((await alertsOf(bad)).map((a: any) => [a.rule, a.value])).toEqual([["email_bounce_rate", 0.1]]);
    expect(await alertsOf(fine)).toEqual([]);
  });
});

describe("alert rules in the full tick", () => {
  it("fires the backlog alert even though the watchdog runs first in the same tick", async () => {
    const org = await newOrganization();
    const report = await createReport(org);
    const now = Date.now();
    await insertPendingRuns(org, report.id, 501, now - 20 * 60_000);
    // The watchdog's re-sends are recorded, not consumed: the subject is what the tick decides.
    const { sent, env: tickEnv } = recordingQueues();
    await runSchedulerTick(createScheduledController({ scheduledTime: now, cron: "* * * * *" }), tickEnv);
    expect(sent.filter((m: any) => m.kind === "generate").length).toBeGreaterThan(0);
    expect((await alertsOf(org)).map((a: any) => [a.rule, a.value])).toEqual([["queue_backlog", 501]]);
  });
});

describe("the scheduler heartbeat", () => {
  it("raises one system alert after a silent gap, and none while ticks keep coming", async () => {
    const stub = env.HEARTBEAT.get(env.HEARTBEAT.idFromName(`test-${crypto.randomUUID()}`));
    await stub.beat();
    // The alarm runs while ticks are recent: nothing.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const viewer = await newOrganization();
    const system = async () => (await api("/api/alerts?limit=100", { token: viewer.token })).body.items.filter((a: any) => a.rule === "scheduler_heartbeat");
    const before = (await system()).length;
    // Make the last tick 4 minutes old, then let the alarm check.
    await runInDurableObject(stub, async (_: SchedulerHeartbeat, state) => {
      await state.storage.put("lastTick", Date.now() - 4 * 60_000);
      // Far ahead, so that it never fires by itself: runDurableObjectAlarm runs it now.
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // It re-armed itself; checking again in the same silence raises nothing new.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await system();
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ scope: "system", severity: "critical", message: expect.stringMatching(/No scheduler tick has run since/) });
  });
});

describe("a stalled consumer", () => {
  const hour = 3_600_000;
  const setHeartbeat = (queue: string, at: number) =>
    env.DB.prepare("insert into consumer_heartbeats (queue, last_batch_at) values (?1, ?2) on conflict (queue) do update set last_batch_at = ?2")
      .bind(queue, at)
      .run();
  const stalledAlerts = async (windowStart: number) =>
    (
      await env.DB.prepare("select message, value from alerts where rule = 'consumer_stalled' and window_start = ?")
        .bind(windowStart)
        .all<{ message: string; value: number }>()
    ).results;

  it("raises a system alert in the full tick when work is overdue and the consumer finished nothing for 5 minutes", async () => {
    const org = await newOrganization();
    const report = await createReport(org);
    // Hours ahead, so that this test's alert windows are its own.
    const at = Math.floor(Date.now() / hour) * hour + 30 * hour + 30 * 60_000;
    await insertPendingRuns(org, report.id, 3, at - 20 * 60_000);
    await setHeartbeat("report-generation", at - 10 * 60_000);
    await setHeartbeat("report-delivery", at - 60_000);
    const { env: tickEnv } = recordingQueues();
    await runSchedulerTick(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), tickEnv);
    const [alert] = await stalledAlerts(Math.floor(at / hour) * hour);
    expect(alert?.message).toMatch(/The report-generation consumer has finished no batch since .* while \d+ messages are overdue/);
    expect(alert?.message).not.toMatch(/report-delivery/);

    // An hour later the consumer is finishing batches again: no alert, though work is still waiting.
    const later = at + hour;
    await setHeartbeat("report-generation", later - 60_000);
    await setHeartbeat("report-delivery", later - 60_000);
    await runSchedulerTick(createScheduledController({ scheduledTime: later, cron: "* * * * *" }), tickEnv);
    expect(await stalledAlerts(Math.floor(later / hour) * hour)).toEqual([]);
  });

  it("records each batch a consumer finishes", async () => {
    // Other tests leave this queue's heartbeat hours ahead: start from a time long past, so that only
    // this batch's write can bring it to now.
    await setHeartbeat("report-generation", 0);
    const before = Date.now();
    await consume("report-generation", [{ kind: "generate", executionId: "none", organizationId: "none", scheduledReportId: "none" }]);
    const row = await env.DB.prepare("select last_batch_at from consumer_heartbeats where queue = 'report-generation'").first<{ last_batch_at: number }>();
    expect(row!.last_batch_at).toBeGreaterThanOrEqual(before);
    expect(row!.last_batch_at).toBeLessThanOrEqual(Date.now());
  });
});
