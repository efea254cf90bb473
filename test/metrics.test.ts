import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { insertExecution } from "./support/pipeline";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("GET /api/metrics", () => {
  it("reports backlog, success rates, percentiles per type, failures, storage and usage for the organization only", async () => {
    const admin = await newOrganization();
    const sales = await createReport(admin, {
      recipients: [
        { type: "email", value: "a@example.com" },
        { type: "email", value: "b@example.com" },
      ],
    });
    const backlog = await createReport(admin, { reportType: "ticket_backlog", parameters: {}, format: "csv", recipients: [] });
    await api(`/api/scheduled-reports/${backlog.id}/pause`, { method: "POST", token: admin.token });
    // 100 completed sales runs in the last day, durations 1..100 ms, 10 of them in the last hour.
    for (let i = 1; i <= 100; i++) {
      await insertExecution(admin, sales.id, {
        status: "completed",
        durationMs: i,
        completedAt: minutesAgo(i <= 10 ? 30 : 120),
        fileKey: `k/${i}`,
        fileSize: 1000,
        createdAt: minutesAgo(i <= 10 ? 30 : 120),
      });
    }
    await insertExecution(admin, backlog.id, { status: "failed", errorClass: "timeout", completedAt: minutesAgo(10) });
    await insertExecution(admin, backlog.id, { status: "failed", errorClass: "database", completedAt: minutesAgo(300) });
    await insertExecution(admin, backlog.id, { status: "failed", errorClass: "timeout", completedAt: minutesAgo(3 * 24 * 60) });
    await insertExecution(admin, backlog.id, { status: "pending", nextAttemptAt: minutesAgo(7) });
    await insertExecution(admin, backlog.id, { status: "running", startedAt: new Date() });
    await insertExecution(admin, sales.id, {
      status: "completed",
      fileKey: "k/expired",
      fileSize: 5000,
      fileExpiredAt: new Date(),
      completedAt: minutesAgo(3 * 24 * 60),
    });
    // Another organization's activity must not show.
    const other = await newOrganization();
    const theirs = await createReport(other);
    await insertExecution(other, theirs.id, { status: "failed", errorClass: "storage", completedAt: minutesAgo(5) });

    const viewer = await newMember(admin, "viewer");
    const res = await api("/api/metrics", { token: viewer.token });
    expect(res.status).toBe(200);
    const m = res.body;
    expect(m.queue).toEqual({
      executions: { pending: 1, running: 1, oldestDueSeconds: expect.any(Number) },
      deliveries: { pending: 0, oldestDueSeconds: 0 },
    });
    // Due 7 minutes before the request (give or take the request's own time).
    expect(m.queue.executions.oldestDueSeconds).toBeGreaterThanOrEqual(7 * 60);
    expect(m.queue.executions.oldestDueSeconds).toBeLessThan(8 * 60);
    expect(m.successRate.lastHour).toEqual({ completed: 10, failed: 1, rate: 10 / 11 });
    expect(m.successRate.last24Hours).toEqual({ completed: 100, failed: 2, rate: 100 / 102 });
    expect(m.executionTimeMs).toEqual([{ reportType: "sales_summary", count: 100, p50: 50, p95: 95, p99: 99 }]);
    expect(m.failuresByErrorClass).toEqual({ timeout: 1, database: 1 });
    expect(m.storage).toEqual({ bytes: 100 * 1000, files: 100 });
    const total = (key: "completed" | "failed") => m.timeline.reduce((n: number, t: any) => n + t[key], 0);
    expect([total("completed"), total("failed")]).toEqual([100, 2]);
    expect(m.timeline.every((t: any) => new Date(t.hour).getUTCMinutes() === 0)).toBe(true);
    expect(m.business).toMatchObject({ activeReports: 1, pausedReports: 1, averageRecipientsPerReport: 1 });
    expect(m.business.mostUsedReportTypes).toEqual([
      { reportType: "sales_summary", reports: 1 },
      { reportType: "ticket_backlog", reports: 1 },
    ]);
    expect(m.business.executionsThisWeek).toBeGreaterThanOrEqual(m.business.executionsToday);
    expect(m.business.executionsToday).toBeGreaterThanOrEqual(2);
  });

  it("answers zeros for a new organization and refuses an anonymous caller", async () => {
    const admin = await newOrganization();
    const res = await api("/api/metrics", { token: admin.token });
    expect(res.body.successRate.lastHour).toEqual({ completed: 0, failed: 0, rate: null });
    expect(res.body.storage).toEqual({ bytes: 0, files: 0 });
    expectError(await api("/api/metrics"), 401);
  });
});
