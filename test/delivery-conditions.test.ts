import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError } from "./support/api";
import { countRows } from "./support/db";
import { createReport } from "./support/factories";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";

const scheduledFor = new Date("2026-11-23T08:00:00Z");
const RECIPIENTS = [{ type: "email", value: "ops@example.com" }];

async function deliveriesOf(executionId: string) {
  const row = await env.DB.prepare("select count(*) as n from report_deliveries where report_execution_id = ?").bind(executionId).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Runs the report once through the real generation consumer, for the given scheduled-for time. */
async function runOnce(admin: Awaited<ReturnType<typeof reportWithData>>["admin"], reportId: string, at: Date) {
  const execution = await insertExecution(admin, reportId, { scheduledFor: at });
  await consume("report-generation", [generationJob(execution)]);
  const done = await executionById(execution.id);
  expect(done.status).toBe("completed");
  return { done, deliveries: await deliveriesOf(execution.id) };
}

describe("delivery conditions", () => {
  it("ifChanged: a report run twice on unchanged data delivers once, then again when the data changes", async () => {
    const { admin, report } = await reportWithData(
      { reportType: "sales_summary", format: "csv", parameters: { dateRange: "last_30_days" }, recipients: RECIPIENTS, deliverWhen: { mode: "ifChanged" } },
      scheduledFor,
    );
    const first = await runOnce(admin, report.id, scheduledFor);
    expect(first.deliveries).toBe(1);
    expect(first.done.deliverySkipped).toBeNull();
    expect(first.done.resultHash).toMatch(/^[0-9a-f]{64}$/);

    // Same data (same scheduled-for time, so the same date range): nothing is sent, the file is kept.
    const second = await runOnce(admin, report.id, new Date(scheduledFor.getTime() + 60_000));
    expect(second.deliveries).toBe(0);
    expect(second.done).toMatchObject({ deliverySkipped: "unchanged", resultHash: first.done.resultHash });
    expect(await env.REPORTS.head(second.done.fileKey!)).not.toBeNull();
    const listed = await api(`/api/executions/${second.done.id}`, { token: admin.token });
    expect(listed.body.deliverySkipped).toEqual({ reason: "unchanged" });

    // A day later the last-30-days window moved: the rows differ and it delivers.
    const third = await runOnce(admin, report.id, new Date(scheduledFor.getTime() + 86_400_000));
    expect(third.done.resultHash).not.toBe(first.done.resultHash);
    expect(third.deliveries).toBe(1);
  });

  it("ifResults: an empty result completes without delivery, and the file goes when the report does not keep it", async () => {
    const longAgo = new Date("2001-01-01T08:00:00Z");
    const { admin, report } = await reportWithData(
      {
        reportType: "sales_summary",
        format: "csv",
        parameters: { dateRange: "last_7_days" },
        recipients: RECIPIENTS,
        deliverWhen: { mode: "ifResults", keepFile: false },
      },
      scheduledFor,
    );
    const run = await runOnce(admin, report.id, longAgo);
    expect(run.done).toMatchObject({ rowCount: 0, deliverySkipped: "no_results" });
    expect(run.deliveries).toBe(0);
    expect(run.done.fileExpiredAt).not.toBeNull();
    expect(await env.REPORTS.head(run.done.fileKey!)).toBeNull();
    const withRows = await runOnce(admin, report.id, scheduledFor);
    expect(withRows.done.rowCount).toBeGreaterThan(0);
    expect(withRows.deliveries).toBe(1);
  });

  it("ifThreshold: delivers only when some row's column passes the comparison", async () => {
    const { admin, report } = await reportWithData(
      {
        reportType: "sales_summary",
        format: "csv",
        parameters: { dateRange: "last_30_days" },
        recipients: RECIPIENTS,
        deliverWhen: { mode: "ifThreshold", column: "orders", operator: ">", value: 1_000_000 },
      },
      scheduledFor,
    );
    const high = await runOnce(admin, report.id, scheduledFor);
    expect(high).toMatchObject({ deliveries: 0, done: { deliverySkipped: "threshold_not_met" } });
    const patched = await api(`/api/scheduled-reports/${report.id}`, {
      method: "PATCH",
      token: admin.token,
      body: { deliverWhen: { mode: "ifThreshold", column: "orders", operator: ">=", value: 1 } },
    });
    expect(patched.status).toBe(200);
    const low = await runOnce(admin, report.id, new Date(scheduledFor.getTime() + 60_000));
    expect(low).toMatchObject({ deliveries: 1, done: { deliverySkipped: null } });
  });

  it("refuses a threshold on a column the report does not have, or text against a number column", async () => {
    const { admin } = await reportWithData({}, scheduledFor);
    const before = await countRows("scheduled_reports", admin.organizationId);
    const noColumn = await api("/api/scheduled-reports", {
      token: admin.token,
      body: { ...baseReport(), deliverWhen: { mode: "ifThreshold", column: "nope", operator: ">", value: 1 } },
    });
    expectError(noColumn, 400, "validation_failed");
    expect(noColumn.body.error.details[0].path).toBe("deliverWhen.column");
    const textValue = await api("/api/scheduled-reports", {
      token: admin.token,
      body: { ...baseReport(), deliverWhen: { mode: "ifThreshold", column: "orders", operator: ">", value: "many" } },
    });
    expectError(textValue, 400);
    expect(textValue.body.error.details[0].path).toBe("deliverWhen.value");
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: { ...baseReport(), deliverWhen: { mode: "sometimes" } } }), 400);
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(before);
    const plain = await createReport(admin);
    expect(plain.deliverWhen).toEqual({ mode: "always" });
  });

  it("keeps report keys unique in an organization", async () => {
    const { admin } = await reportWithData({}, scheduledFor);
    const a = await createReport(admin, { key: "weekly-sales" });
    expect(a.key).toBe("weekly-sales");
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: { ...baseReport(), key: "weekly-sales" } }), 409);
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: { ...baseReport(), key: "has space" } }), 400);
    const b = await createReport(admin);
    expectError(await api(`/api/scheduled-reports/${b.id}`, { method: "PATCH", token: admin.token, body: { key: "weekly-sales" } }), 409);
    expect((await api(`/api/scheduled-reports/${a.id}`, { method: "PATCH", token: admin.token, body: { key: "weekly-sales" } })).status).toBe(200);
  });
});

function baseReport() {
  return {
    name: "Sales",
    reportType: "sales_summary",
    parameters: { dateRange: "last_30_days" },
    format: "csv",
    schedule: { cron: "0 9 * * 1", timezone: "Europe/Berlin" },
    recipients: RECIPIENTS,
  };
}
