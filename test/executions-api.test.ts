import { env } from "cloudflare:test";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import { signFileLink } from "../src/storage/links";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { executionById, insertExecution, reportWithData } from "./support/pipeline";

async function runAndWait(token: string, reportId: string) {
  const run = await api(`/api/scheduled-reports/${reportId}/run`, { method: "POST", token });
  expect(run.status).toBe(202);
  const { executionId } = run.body;
  // The real local queue delivers the message to the Worker's consumer.
  await vi.waitFor(async () => expect((await executionById(executionId)).status).toBe("completed"), { timeout: 15_000, interval: 200 });
  return executionId as string;
}

describe("run now, history and downloads", () => {
  it("runs a report now through the queue, lists it and serves its file through a signed link", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: "ticket_backlog", parameters: {} });
    const executionId = await runAndWait(admin.token, report.id);

    const history = await api(`/api/scheduled-reports/${report.id}/executions`, { token: admin.token });
    expect(history.body.items.map((e: any) => [e.id, e.trigger, e.status])).toEqual([[executionId, "manual", "completed"]]);
    const org = await api(`/api/executions?status=completed`, { token: admin.token });
    expect(org.body.items[0]).toMatchObject({ id: executionId, reportName: report.name, triggeredBy: admin.userId });
    const one = await api(`/api/executions/${executionId}`, { token: admin.token });
    expect(one.body.deliveries.map((d: any) => d.recipientValue).sort()).toEqual(["https://example.com/hooks/reports", "ops@example.com"]);
    const got = await api(`/api/scheduled-reports/${report.id}`, { token: admin.token });
    expect(got.body.lastExecution).toMatchObject({ id: executionId, status: "completed" });

    const viewer = await newMember(admin, "viewer");
    const link = await api(`/api/executions/${executionId}/download`, { token: viewer.token });
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const file = await api(new URL(link.body.url).pathname);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const rows = Papa.parse(String(file.body).trimEnd(), { newline: "\r\n" }).data;
    expect(rows.length - 1).toBe(one.body.rowCount);

    const downloads = (await api(`/api/audit-events?type=report.downloaded`, { token: admin.token })).body.items;
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ actorId: viewer.userId, targetId: executionId, data: { via: "link", issuedTo: `user:${viewer.userId}` } });
    const started = (await api(`/api/audit-events?type=report_execution.completed`, { token: admin.token })).body.items;
    expect(started.map((e: any) => e.targetId)).toEqual([executionId]);
  });

  it("refuses a link once its user is removed or its report deleted, and keeps tokens out of the logs", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: "ticket_backlog", parameters: {} });
    const executionId = await runAndWait(admin.token, report.id);
    const viewer = await newMember(admin, "viewer");
    const linkOf = async (token: string) => new URL((await api(`/api/executions/${executionId}/download`, { token })).body.url).pathname;
    const viewersLink = await linkOf(viewer.token);
    const adminsLink = await linkOf(admin.token);
    expect((await api(viewersLink)).status).toBe(200);
    const logged: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      expect((await api(`/api/users/${viewer.userId}`, { method: "DELETE", token: admin.token })).status).toBe(204);
      expectError(await api(viewersLink), 410);
      expect((await api(adminsLink)).status).toBe(200);
      expect((await api(`/api/scheduled-reports/${report.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
      expectError(await api(adminsLink), 410);
    } finally {
      spy.mockRestore();
    }
    const token = adminsLink.split("/").pop()!;
    expect(logged.some((l) => l.includes("/api/files/[token]"))).toBe(true);
    expect(logged.some((l) => l.includes(token))).toBe(false);
  });

  it("refuses a tampered, an expired and another organization's link", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: "ticket_backlog", parameters: {} });
    const executionId = await runAndWait(admin.token, report.id);
    const { url } = (await api(`/api/executions/${executionId}/download`, { token: admin.token })).body;
    const token = new URL(url).pathname.split("/").pop()!;
    const [payload, sig] = token.split(".");
    const flipped = `${payload}.${sig!.startsWith("A") ? "B" : "A"}${sig!.slice(1)}`;
    expectError(await api(`/api/files/${flipped}`), 404);
    expectError(await api(`/api/files/${payload}x.${sig}`), 404);
    expectError(await api(`/api/files/garbage`), 404);
    const expired = await signFileLink(env.JWT_SECRET, {
      executionId,
      organizationId: admin.organizationId,
      issuedTo: `user:${admin.userId}`,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    expectError(await api(`/api/files/${expired}`), 410, "link_expired");
    const other = await newOrganization();
    const forged = await signFileLink("not-the-secret-but-long-enough-0123456789", {
      executionId,
      organizationId: admin.organizationId,
      issuedTo: `user:${other.userId}`,
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    expectError(await api(`/api/files/${forged}`), 404);
    expectError(await api(`/api/executions/${executionId}/download`, { token: other.token }), 404);
    expectError(await api(`/api/executions/${executionId}`, { token: other.token }), 404);
    expect((await api(`/api/audit-events?type=report.downloaded`, { token: admin.token })).body.items).toEqual([]);
  });

  it("answers 409 for a download of an execution without a file", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const pending = await insertExecution(admin, report.id);
    expectError(await api(`/api/executions/${pending.id}/download`, { token: admin.token }), 409);
  });
});

describe("retry", () => {
  it("queues a failed execution again with a fresh set of attempts, once", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: "ticket_backlog", parameters: {} });
    const failed = await insertExecution(admin, report.id, { status: "failed", attempt: 4, errorMessage: "boom" });
    const res = await api(`/api/executions/${failed.id}/retry`, { method: "POST", token: admin.token });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ executionId: failed.id, retried: "execution" });
    expectError(await api(`/api/executions/${failed.id}/retry`, { method: "POST", token: admin.token }), 409);
    await vi.waitFor(async () => expect((await executionById(failed.id)).status).toBe("completed"), { timeout: 15_000, interval: 200 });
    expect(await executionById(failed.id)).toMatchObject({ trigger: "retry", attempt: 1, triggeredBy: admin.userId, errorMessage: null });
  });

  it("refuses a running or pending execution, a viewer, and another organization", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const running = await insertExecution(admin, report.id, { status: "running", startedAt: new Date() });
    expectError(await api(`/api/executions/${running.id}/retry`, { method: "POST", token: admin.token }), 409);
    const failed = await insertExecution(admin, report.id, { status: "failed" });
    const viewer = await newMember(admin, "viewer");
    expectError(await api(`/api/executions/${failed.id}/retry`, { method: "POST", token: viewer.token }), 403);
    const other = await newOrganization();
    expectError(await api(`/api/executions/${failed.id}/retry`, { method: "POST", token: other.token }), 404);
    expect((await executionById(failed.id)).status).toBe("failed");
  });
});

describe("run now permissions", () => {
  it("refuses a viewer and another organization, and writes nothing", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const viewer = await newMember(admin, "viewer");
    const other = await newOrganization();
    expectError(await api(`/api/scheduled-reports/${report.id}/run`, { method: "POST", token: viewer.token }), 403);
    expectError(await api(`/api/scheduled-reports/${report.id}/run`, { method: "POST", token: other.token }), 404);
    expectError(await api(`/api/scheduled-reports/${report.id}/executions`, { token: other.token }), 404);
    expect((await api(`/api/executions`, { token: admin.token })).body.items).toEqual([]);
  });

  it.each([["status=done"], ["from=yesterday"], ["limit=500"]])("refuses the history filter %s", async (qs) => {
    const admin = await newOrganization();
    expectError(await api(`/api/executions?${qs}`, { token: admin.token }), 400, "validation_failed");
  });

  it("lists a history newest first by scheduled-for time, also for runs created in one tick, across pages", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    // Six catch-up runs written in one tick: the same creation time, inserted in a shuffled order.
    const created = new Date("2026-11-20T20:30:00Z");
    const hours = [3, 0, 5, 1, 4, 2];
    for (const h of hours)
      await insertExecution(admin, report.id, { scheduledFor: new Date(Date.UTC(2026, 10, 20, 14 + h, 22)), createdAt: created, status: "completed" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api(`/api/scheduled-reports/${report.id}/executions?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { token: admin.token });
      seen.push(...page.body.items.map((e: any) => e.scheduledFor));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1, 0].map((h) => new Date(Date.UTC(2026, 10, 20, 14 + h, 22)).toISOString()));
    const filtered = await api(`/api/executions?from=2026-11-20T16:00:00Z&to=2026-11-20T18:00:00Z`, { token: admin.token });
    expect(filtered.body.items.map((e: any) => e.scheduledFor)).toEqual(["2026-11-20T17:22:00.000Z", "2026-11-20T16:22:00.000Z"]);
  });
});
