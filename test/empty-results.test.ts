import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError, newOrganization, type TestUser } from "./support/api";
import { createReport } from "./support/factories";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

const RECIPIENTS = [{ type: "email", value: "ops@example.com" }];
const HOUR = 3_600_000;
const base = new Date("2026-11-23T08:00:00Z").getTime();

async function deliveriesOf(executionId: string) {
  const row = await env.DB.prepare("select count(*) as n from report_deliveries where report_execution_id = ?").bind(executionId).first<{ n: number }>();
  return row?.n ?? 0;
}

/** One run through the real generation consumer, with the queues recorded: its result and the alert messages it sent. */
async function runAt(user: TestUser, reportId: string, at: number) {
  const execution = await insertExecution(user, reportId, { scheduledFor: new Date(at) });
  const { sent, env: recorded } = recordingQueues();
  const result = await consume("report-generation", [generationJob(execution)], { env: recorded });
  const alerts = (sent as { kind: string; event?: string }[]).filter((m) => m.kind === "notify_alert");
  return { result, run: await executionById(execution.id), alerts };
}

const setTenantKey = (organizationId: string, key: string | null) =>
  env.DB.prepare("update organizations set data_tenant_key = ? where id = ?").bind(key, organizationId).run();

const emptyAlerts = async (user: TestUser) =>
  (await api("/api/alerts?limit=100", { token: user.token })).body.items.filter((a: { rule: string }) => a.rule === "suspicious_empty");

describe("empty results", () => {
  it("fails a run with no rows when the report says so, delivering and storing nothing, without a retry", async () => {
    const admin = await newOrganization(); // no demo data: every query returns no rows
    const report = await createReport(admin, { emptyResult: "fail", recipients: RECIPIENTS });
    expect(report.emptyResult).toBe("fail");
    const { result, run } = await runAt(admin, report.id, base);
    expect(result.retryMessages).toHaveLength(0);
    expect(result.explicitAcks).toHaveLength(1);
    expect(run).toMatchObject({ status: "failed", errorClass: "empty_result", fileKey: null });
    expect(run.errorMessage).toMatch(/no rows/);
    expect(await deliveriesOf(run.id)).toBe(0);
    expect((await env.REPORTS.list({ prefix: `${admin.organizationId}/` })).objects).toHaveLength(0);
  });

  it("delivers an empty file by default, and a report set to fail still delivers when it has rows", async () => {
    const admin = await newOrganization();
    const plain = await createReport(admin, { recipients: RECIPIENTS });
    expect(plain.emptyResult).toBe("deliver");
    const empty = await runAt(admin, plain.id, base);
    expect(empty.run).toMatchObject({ status: "completed", rowCount: 0 });
    expect(await deliveriesOf(empty.run.id)).toBe(1);

    const { admin: other, report } = await reportWithData({ emptyResult: "fail", recipients: RECIPIENTS }, new Date(base));
    const full = await runAt(other, report.id, base);
    expect(full.run.status).toBe("completed");
    expect(full.run.rowCount).toBeGreaterThan(0);
    expect(await deliveriesOf(full.run.id)).toBe(1);
  });

  it("takes emptyResult on create and update, and refuses other values without changing anything", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const path = `/api/scheduled-reports/${report.id}`;
    expectError(await api(path, { token: admin.token, method: "PATCH", body: { emptyResult: "skip" } }), 400, "validation_failed");
    expect((await api(path, { token: admin.token })).body.emptyResult).toBe("deliver");
    const patched = await api(path, { token: admin.token, method: "PATCH", body: { emptyResult: "fail" } });
    expect(patched.body.emptyResult).toBe("fail");
    expect((await api(path, { token: admin.token })).body.emptyResult).toBe("fail");
  });
});

describe("suspicious_empty", () => {
  it("alerts once when a report's run returns no rows after three with rows, and resolves when rows come back", async () => {
    const { admin, report } = await reportWithData({ parameters: { dateRange: "last_30_days" } }, new Date(base));
    for (let i = 0; i < 3; i++) {
      const ok = await runAt(admin, report.id, base + i * HOUR);
      expect(ok.run.rowCount).toBeGreaterThan(0);
      expect(ok.alerts).toEqual([]);
    }
    // A wrong data tenant key: the next run finds nothing.
    await setTenantKey(admin.organizationId, `nobody-${crypto.randomUUID()}`);
    const empty = await runAt(admin, report.id, base + 3 * HOUR);
    expect(empty.run).toMatchObject({ status: "completed", rowCount: 0 });
    expect(empty.alerts).toMatchObject([{ event: "fired", organizationId: admin.organizationId }]);
    const [alert] = await emptyAlerts(admin);
    expect(alert).toMatchObject({ rule: "suspicious_empty", severity: "warning", scheduledReportId: report.id, resolvedAt: null });
    expect(alert.message).toContain(report.name);

    // Still empty: the report already has its alert.
    const again = await runAt(admin, report.id, base + 4 * HOUR);
    expect(again.alerts).toEqual([]);
    expect(await emptyAlerts(admin)).toHaveLength(1);

    await setTenantKey(admin.organizationId, null);
    const back = await runAt(admin, report.id, base + 5 * HOUR);
    expect(back.run.rowCount).toBeGreaterThan(0);
    expect(back.alerts).toMatchObject([{ event: "resolved", alertId: alert.id }]);
    expect((await emptyAlerts(admin))[0].resolvedAt).not.toBeNull();
  });

  it("does not alert for a report without three runs with rows before, and counts a run failed for being empty", async () => {
    const { admin, report } = await reportWithData({ emptyResult: "fail" }, new Date(base));
    for (let i = 0; i < 2; i++) await runAt(admin, report.id, base + i * HOUR);
    await setTenantKey(admin.organizationId, `nobody-${crypto.randomUUID()}`);
    const early = await runAt(admin, report.id, base + 2 * HOUR);
    expect(early.run.errorClass).toBe("empty_result");
    expect(early.alerts).toEqual([]);

    // A second report of the same organization, failing when empty after three runs with rows: its own alert.
    const second = await createReport(admin, { emptyResult: "fail" });
    await setTenantKey(admin.organizationId, null);
    for (let i = 0; i < 3; i++) await runAt(admin, second.id, base + i * HOUR);
    await setTenantKey(admin.organizationId, `nobody-${crypto.randomUUID()}`);
    const failed = await runAt(admin, second.id, base + 3 * HOUR);
    expect(failed.run).toMatchObject({ status: "failed", errorClass: "empty_result" });
    expect(failed.alerts.filter((m) => m.event === "fired")).toHaveLength(1);
    expect((await emptyAlerts(admin)).map((a: { scheduledReportId: string }) => a.scheduledReportId)).toEqual([second.id]);
  });
});
