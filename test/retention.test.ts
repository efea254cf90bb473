import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyRetention, claimRetentionDay, RETENTION_LIMITS, runRetention } from "../src/jobs/retention/apply-retention";
import { signFileLink } from "../src/storage/links";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { executionById, insertExecution } from "./support/pipeline";

const DAY = 86_400_000;
const now = new Date("2027-06-01T03:00:00Z");
const daysBefore = (d: number) => new Date(now.getTime() - d * DAY);

async function withFile(user: Awaited<ReturnType<typeof newOrganization>>, reportId: string, ageDays: number, extra = {}) {
  const key = `${user.organizationId}/${reportId}/${crypto.randomUUID()}/file.csv`;
  await env.REPORTS.put(key, "a,b\r\n1,2\r\n");
  return insertExecution(user, reportId, {
    status: "completed",
    fileKey: key,
    fileName: "file.csv",
    fileSize: 10,
    completedAt: daysBefore(ageDays),
    createdAt: daysBefore(ageDays),
    ...extra,
  });
}

describe("retention", () => {
  it("removes exactly the files older than each organization's retention, except pinned ones", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    await api("/api/settings", { method: "PATCH", token: b.token, body: { retentionDays: 30 } });
    const ra = await createReport(a);
    const rb = await createReport(b);
    const oldA = await withFile(a, ra.id, 91);
    const youngA = await withFile(a, ra.id, 89);
    const pinnedA = await withFile(a, ra.id, 200);
    const oldB = await withFile(b, rb.id, 31);
    const youngB = await withFile(b, rb.id, 29);
    expect((await api(`/api/executions/${pinnedA.id}/pin`, { method: "POST", token: a.token })).body.pinned).toBe(true);

    const result = await applyRetention(env, now);
    expect(result.filesDeleted).toBeGreaterThanOrEqual(2);
    for (const gone of [oldA, oldB]) {
      expect(await env.REPORTS.head(gone.fileKey!)).toBeNull();
      expect((await executionById(gone.id)).fileExpiredAt?.toISOString()).toBe(now.toISOString());
    }
    for (const kept of [youngA, pinnedA, youngB]) {
      expect(await env.REPORTS.head(kept.fileKey!)).not.toBeNull();
      expect((await executionById(kept.id)).fileExpiredAt).toBeNull();
    }
    // Running it again changes nothing.
    await applyRetention(env, now);
    expect(await env.REPORTS.head(youngA.fileKey!)).not.toBeNull();
  });

  it("answers 410 for the download of an expired file and a link issued before", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const old = await withFile(a, report.id, 120);
    const link = await signFileLink(env.JWT_SECRET, {
      executionId: old.id,
      organizationId: a.organizationId,
      issuedTo: `user:${a.userId}`,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    await applyRetention(env, now);
    expectError(await api(`/api/files/${link}`), 410, "file_gone");
    expectError(await api(`/api/executions/${old.id}/download`, { token: a.token }), 410, "file_gone");
  });

  it("prunes execution rows past the row retention, keeping pinned ones", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const ancient = await insertExecution(a, report.id, { status: "failed", createdAt: daysBefore(500), completedAt: daysBefore(500) });
    const pinned = await insertExecution(a, report.id, { status: "failed", createdAt: daysBefore(500), pinned: true });
    const recent = await insertExecution(a, report.id, { status: "failed", createdAt: daysBefore(100) });
    await applyRetention(env, now);
    expectError(await api(`/api/executions/${ancient.id}`, { token: a.token }), 404);
    expect((await api(`/api/executions/${pinned.id}`, { token: a.token })).status).toBe(200);
    expect((await api(`/api/executions/${recent.id}`, { token: a.token })).status).toBe(200);
  });

  it("forgets idempotency keys past their 24 hours, keeping live ones", async () => {
    const a = await newOrganization();
    const insert = (key: string, expiresAt: Date) =>
      env.DB.prepare(
        "insert into idempotency_keys (organization_id, key, request_hash, status, created_at, locked_until, expires_at) values (?, ?, 'h', 'done', ?, ?, ?)",
      )
        .bind(a.organizationId, key, now.getTime(), now.getTime(), expiresAt.getTime())
        .run();
    await insert("expired", new Date(now.getTime() - 1));
    await insert("live", new Date(now.getTime() + DAY));
    expect((await applyRetention(env, now)).idempotencyKeysPruned).toBeGreaterThanOrEqual(1);
    const { results } = await env.DB.prepare("select key from idempotency_keys where organization_id = ?").bind(a.organizationId).all<{ key: string }>();
    expect(results.map((r) => r.key)).toEqual(["live"]);
  });

  it("lets only admins pin, within their organization", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const e = await withFile(a, report.id, 1);
    const editor = await newMember(a, "editor");
    expectError(await api(`/api/executions/${e.id}/pin`, { method: "POST", token: editor.token }), 403);
    const other = await newOrganization();
    expectError(await api(`/api/executions/${e.id}/pin`, { method: "POST", token: other.token }), 404);
    expect((await executionById(e.id)).pinned).toBe(false);
  });
});

describe("the daily retention run", () => {
  it("runs on the first tick at or after 03:00 UTC each day, once, even when the 03:00 tick was missed", async () => {
    const at = (iso: string) => claimRetentionDay(env, new Date(iso));
    expect(await at("2031-03-10T02:59:00Z")).toBe(false); // before its hour
    expect(await at("2031-03-10T03:17:00Z")).toBe(true); // the 03:00 tick never came: the next one runs it
    expect(await at("2031-03-10T03:18:00Z")).toBe(false); // once a day
    expect(await at("2031-03-10T23:59:00Z")).toBe(false);
    expect(await at("2031-03-11T03:00:00Z")).toBe(true);
    expect(await at("2031-03-12T11:40:00Z")).toBe(true); // a day without ticks until noon still runs
    expect(await at("2031-03-11T05:00:00Z")).toBe(false); // a late tick for a past day changes nothing
  });
});

describe("a retention pass that stops at its bounds", () => {
  it("is taken up again by the next tick until nothing is left, then waits for the next day", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const at = new Date("2032-04-20T03:00:00Z");
    const old = new Date(at.getTime() - 500 * DAY);
    const rows = [];
    for (let i = 0; i < 5; i++) rows.push(await insertExecution(a, report.id, { status: "completed", createdAt: old, completedAt: old }));
    // One statement of two rows a pass: five rows (and whatever older rows other tests left) take three passes or more.
    const limits = { ...RETENTION_LIMITS, batches: 1, executionBatch: 2 };
    const passes = [];
    for (let minute = 0; minute < 60; minute++) {
      const pass = await runRetention(env, new Date(at.getTime() + minute * 60_000), limits);
      if (!pass) break;
      passes.push(pass);
    }
    expect(passes.length).toBeGreaterThanOrEqual(3);
    expect(passes.slice(0, -1).every((p) => !p.finished && p.rowsPruned === 2)).toBe(true);
    expect(passes.at(-1)?.finished).toBe(true);
    for (const row of rows) expectError(await api(`/api/executions/${row.id}`, { token: a.token }), 404);
    // Finished for the day: later ticks of the same day do nothing, the next day runs again.
    expect(await runRetention(env, new Date("2032-04-20T21:00:00Z"), limits)).toBeNull();
    expect(await runRetention(env, new Date("2032-04-21T03:00:00Z"), limits)).not.toBeNull();
  });

  it("gives the day back when a pass fails, so the next tick runs it", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const at = new Date("2033-02-07T03:00:00Z");
    await withFile(a, report.id, 120 + (at.getTime() - now.getTime()) / DAY);
    const failingR2 = { ...env, REPORTS: { ...env.REPORTS, delete: () => Promise.reject(new Error("R2 is down")) } } as unknown as Env;
    await expect(runRetention(failingR2, at)).rejects.toThrow("R2 is down");
    expect((await runRetention(env, new Date(at.getTime() + 60_000)))?.filesDeleted).toBeGreaterThanOrEqual(1);
  });
});
