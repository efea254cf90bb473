import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { auditQuotaRefusal } from "../src/domain/quotas";
import { type ApiResponse, api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { countRows } from "./support/db";
import { createReport, reportBody } from "./support/factories";
import { operatorApi, setQuotas } from "./support/operator";

const DEFAULTS = {
  activeReports: 1000,
  reports: 5000,
  apiKeys: 50,
  recipientsPerReport: 50,
  minIntervalMinutes: 5,
  storageBytes: 10 * 1024 ** 3,
  emailsPerDay: 5000,
  retentionDays: 400,
  concurrentRuns: 5,
};

const refusals = async (user: TestUser) =>
  (await api("/api/audit-events?type=quota.exceeded&limit=100", { token: user.token })).body.items as { targetId: string; data: any }[];

const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "email", value: `r${i}@example.com` }));

/** A refusal: 422 quota_exceeded naming the limit, and nothing written but the audit of the refusal. */
function expectRefused(res: ApiResponse, limitText: string) {
  expectError(res, 422, "quota_exceeded");
  expect(res.body.error.message).toContain(limitText);
}

describe("the schedule interval quota", () => {
  it("refuses a schedule that runs more often than every 5 minutes, on create and on update, and writes nothing", async () => {
    const admin = await newOrganization();
    for (const cron of ["* * * * *", "*/2 * * * *", "1,58 * * * *"]) {
      const res = await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ schedule: { cron, timezone: "UTC" } }) });
      expectRefused(res, "every 5 minutes");
      expect(res.body.error.details).toEqual([{ path: "schedule", message: "minIntervalMinutes: the limit is 5", code: "minIntervalMinutes" }]);
    }
    // Paused or not: the definition itself is over the quota.
    expectRefused(
      await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ schedule: { cron: "* * * * *", timezone: "UTC" }, isActive: false }) }),
      "every 5 minutes",
    );
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(0);

    const ok = await createReport(admin, { schedule: { cron: "*/5 * * * *", timezone: "UTC" } });
    const hourly = await createReport(admin, { schedule: { preset: "hourly", minute: 59, timezone: "UTC" } });
    expect(hourly.schedule.cron).toBe("59 * * * *");
    const patch = await api(`/api/scheduled-reports/${ok.id}`, {
      method: "PATCH",
      token: admin.token,
      body: { schedule: { cron: "*/4 * * * *", timezone: "UTC" } },
    });
    expectRefused(patch, "every 5 minutes");
    expect((await api(`/api/scheduled-reports/${ok.id}`, { token: admin.token })).body.schedule.cron).toBe("*/5 * * * *");
  });

  it("allows what the operator allows the organization", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { minIntervalMinutes: 1 });
    expect((await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ schedule: { cron: "* * * * *", timezone: "UTC" } }) })).status).toBe(
      201,
    );
    await setQuotas(admin.organizationId, { minIntervalMinutes: 60 });
    expectRefused(
      await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ schedule: { cron: "0,30 * * * *", timezone: "UTC" } }) }),
      "every 60 minutes",
    );
  });
});

describe("the recipients quota", () => {
  it("refuses more than 50 recipients, and holds an update only to the fields it changes", async () => {
    const admin = await newOrganization();
    expectRefused(await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients: emails(51) }) }), "at most 50 recipients");
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(0);
    const report = await createReport(admin, { recipients: emails(50) });

    await setQuotas(admin.organizationId, { recipientsPerReport: 2 });
    const more = await api(`/api/scheduled-reports/${report.id}`, { method: "PATCH", token: admin.token, body: { recipients: emails(3) } });
    expectRefused(more, "at most 2 recipients");
    expect((await api(`/api/scheduled-reports/${report.id}`, { token: admin.token })).body.recipients).toHaveLength(50);
    // Renaming does not touch the recipients: not held to the lowered quota.
    expect((await api(`/api/scheduled-reports/${report.id}`, { method: "PATCH", token: admin.token, body: { name: "Renamed" } })).status).toBe(200);
    expect((await api(`/api/scheduled-reports/${report.id}`, { method: "PATCH", token: admin.token, body: { recipients: emails(2) } })).status).toBe(200);
  });
});

describe("the active reports quota", () => {
  it("counts active reports on create and resume; paused ones are free", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { activeReports: 2 });
    await createReport(admin);
    const second = await createReport(admin);
    const before = await countRows("scheduled_reports", admin.organizationId);
    expectRefused(await api("/api/scheduled-reports", { token: admin.token, body: reportBody() }), "at most 2 active reports");
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(before);

    const paused = await createReport(admin, { isActive: false });
    expectRefused(await api(`/api/scheduled-reports/${paused.id}/resume`, { method: "POST", token: admin.token }), "at most 2 active reports");
    expect((await api(`/api/scheduled-reports/${paused.id}`, { token: admin.token })).body).toMatchObject({ isActive: false, nextRunAt: null });
    expect((await api(`/api/scheduled-reports/${second.id}/pause`, { method: "POST", token: admin.token })).status).toBe(200);
    expect((await api(`/api/scheduled-reports/${paused.id}/resume`, { method: "POST", token: admin.token })).body.isActive).toBe(true);
  });

  it("checks a whole schedules-as-code document before any of it runs", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { activeReports: 2 });
    const base = reportBody({ recipients: [] });
    const entry = (key: string, extra: Record<string, unknown> = {}) => ({ ...base, name: `Report ${key}`, key, ...extra });
    expect((await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: [entry("a"), entry("b")] } })).status).toBe(200);
    const auditBefore = await countRows("audit_events", admin.organizationId);
    // One more active report: refused as a whole, for a dry run too, and nothing changes.
    for (const dryRun of [true, false]) {
      const res = await api(`/api/scheduled-reports/apply?dryRun=${dryRun}`, { token: admin.token, body: { reports: [entry("a"), entry("b"), entry("c")] } });
      expectRefused(res, "at most 2 active reports");
    }
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(2);
    // Only the refusal was written (once: the second within the hour is not audited again).
    expect(await countRows("audit_events", admin.organizationId)).toBe(auditBefore + 1);
    // Replacing one report by another at the limit is fine (the deletion goes first).
    const swap = await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: [entry("a"), entry("c")], prune: true } });
    expect(swap.status).toBe(200);
    expect(swap.body.plan.map((s: any) => [s.key, s.action])).toEqual([
      ["a", "unchanged"],
      ["c", "create"],
      ["b", "delete"],
    ]);
    // Entries over a report's own quotas name their place in the document.
    const bad = await api("/api/scheduled-reports/apply", {
      token: admin.token,
      body: { reports: [entry("a"), entry("c", { schedule: { cron: "* * * * *", timezone: "UTC" } })] },
    });
    expectRefused(bad, "every 5 minutes");
    expect(bad.body.error.details[0].path).toBe("reports.1.schedule");
  });
});

describe("the retention quota", () => {
  it("refuses a retention longer than 400 days, or than the organization's override", async () => {
    const admin = await newOrganization();
    expectRefused(await api("/api/settings", { method: "PATCH", token: admin.token, body: { retentionDays: 401 } }), "at most 400 days");
    expect((await api("/api/settings", { token: admin.token })).body.retentionDays).toBe(90);
    expect((await api("/api/settings", { method: "PATCH", token: admin.token, body: { retentionDays: 400 } })).body.retentionDays).toBe(400);
    await setQuotas(admin.organizationId, { retentionDays: 30 });
    expectRefused(await api("/api/settings", { method: "PATCH", token: admin.token, body: { retentionDays: 31 } }), "at most 30 days");
  });
});

describe("quota refusals in the audit log", () => {
  it("records quota.exceeded with the quota and its limit, at most once an hour per quota", async () => {
    const admin = await newOrganization();
    const everyMinute = reportBody({ schedule: { cron: "* * * * *", timezone: "UTC" } });
    for (let i = 0; i < 3; i++) expectError(await api("/api/scheduled-reports", { token: admin.token, body: everyMinute }), 422, "quota_exceeded");
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients: emails(51) }) }), 422, "quota_exceeded");
    const events = await refusals(admin);
    expect(events.map((e) => [e.targetId, e.data.limit]).sort()).toEqual([
      ["minIntervalMinutes", 5],
      ["recipientsPerReport", 50],
    ]);
    expect(events.find((e) => e.targetId === "minIntervalMinutes")!.data.message).toContain("every 5 minutes");

    const db = createDb(env.DB);
    const refusal = { organizationId: admin.organizationId, actorId: admin.userId, quota: "minIntervalMinutes" as const, limit: 5, message: "m" };
    const t = Date.now();
    expect(await auditQuotaRefusal(db, refusal, new Date(t + 30 * 60_000))).toBe(false);
    expect(await auditQuotaRefusal(db, refusal, new Date(t + 61 * 60_000))).toBe(true);
    expect(await auditQuotaRefusal(db, refusal, new Date(t + 62 * 60_000))).toBe(false);
  });
});

describe("the reports quota", () => {
  it("counts every report, paused ones included, on create, resume and apply, and writes nothing over it", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { reports: 3 });
    await createReport(admin);
    const paused = await createReport(admin, { isActive: false });
    await createReport(admin, { isActive: false });
    const before = await countRows("scheduled_reports", admin.organizationId);
    // A paused report is no way around it.
    for (const isActive of [true, false]) {
      expectRefused(await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ isActive }) }), "at most 3 reports, paused ones included");
    }
    const base = reportBody({ recipients: [] });
    const entry = (key: string) => ({ ...base, name: `Report ${key}`, key, isActive: false });
    for (const dryRun of [true, false]) {
      expectRefused(await api(`/api/scheduled-reports/apply?dryRun=${dryRun}`, { token: admin.token, body: { reports: [entry("x")] } }), "at most 3 reports");
    }
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(before);
    // Over the quota once the operator lowered it: resuming waits until reports are deleted.
    await setQuotas(admin.organizationId, { reports: 2 });
    expectRefused(await api(`/api/scheduled-reports/${paused.id}/resume`, { method: "POST", token: admin.token }), "at most 2 reports");
    expect((await api(`/api/scheduled-reports/${paused.id}`, { token: admin.token })).body.isActive).toBe(false);
    const refusals_ = (await refusals(admin)).filter((r) => r.targetId === "reports");
    expect(refusals_).toHaveLength(1);
    expect(refusals_[0]!.data).toMatchObject({ quota: "reports", limit: 3 });
  });

  it("lets a schedules-as-code document replace reports one for one at the limit", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { reports: 2 });
    const base = reportBody({ recipients: [] });
    const entry = (key: string) => ({ ...base, name: `Report ${key}`, key, isActive: false });
    expect((await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: [entry("a"), entry("b")] } })).status).toBe(200);
    expect((await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: [entry("a"), entry("c")], prune: true } })).status).toBe(200);
    expectRefused(
      await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: [entry("a"), entry("c"), entry("d")] } }),
      "at most 2 reports",
    );
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(2);
  });
});

describe("the API keys quota", () => {
  it("caps live keys at 50 by default; revoked and expired keys make room", async () => {
    const admin = await newOrganization();
    const create = (extra: Record<string, unknown> = {}) => api("/api/api-keys", { token: admin.token, body: { name: "k", role: "viewer", ...extra } });
    for (let i = 0; i < 50; i++) expect((await create()).status).toBe(201);
    expectRefused(await create(), "at most 50 live API keys");
    expect(await countRows("api_keys", admin.organizationId)).toBe(50);
    await setQuotas(admin.organizationId, { apiKeys: 52 });
    const expiring = await create({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(expiring.status).toBe(201);
    const revoked = await create();
    expect(revoked.status).toBe(201);
    expectRefused(await create(), "at most 52 live API keys");
    expect((await api(`/api/api-keys/${revoked.body.apiKey.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    await env.DB.prepare("update api_keys set expires_at = ? where id = ?")
      .bind(Date.now() - 1, expiring.body.apiKey.id)
      .run();
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    expectRefused(await create(), "at most 52 live API keys");
  });
});

describe("quotas and usage", () => {
  it("shows admins the quotas in force and the usage, read only; other roles and no token are refused", async () => {
    const admin = await newOrganization();
    await createReport(admin);
    await createReport(admin, { isActive: false });
    await api("/api/api-keys", { token: admin.token, body: { name: "a key", role: "viewer" } });
    const mine = await api("/api/settings/quotas", { token: admin.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ quotas: DEFAULTS, usage: { activeReports: 1, reports: 2, apiKeys: 1, storageBytes: 0, emailsToday: 0 } });
    for (const role of ["editor", "viewer"] as const) {
      expectError(await api("/api/settings/quotas", { token: (await newMember(admin, role)).token }), 403, "forbidden");
    }
    expectError(await api("/api/settings/quotas"), 401, "unauthorized");
    expectError(await api("/api/settings/quotas", { method: "PUT", token: admin.token, body: { emailsPerDay: 1 } }), 404, "not_found");
  });

  it("lets only the operator override quotas, partially, with null going back to the default, audited with old and new values", async () => {
    const admin = await newOrganization();
    const path = `/organizations/${admin.organizationId}/quotas`;
    const set = await operatorApi(path, { method: "PUT", body: { emailsPerDay: 20_000, activeReports: 10 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      quotas: { ...DEFAULTS, emailsPerDay: 20_000, activeReports: 10 },
      overrides: { emailsPerDay: 20_000, activeReports: 10, storageBytes: null, concurrentRuns: null },
      usage: { activeReports: 0, storageBytes: 0, emailsToday: 0 },
    });
    const cleared = await operatorApi(path, { method: "PUT", body: { emailsPerDay: null, concurrentRuns: 2 } });
    expect(cleared.body.quotas).toEqual({ ...DEFAULTS, activeReports: 10, concurrentRuns: 2 });
    expect((await operatorApi(path)).body).toEqual(cleared.body);
    expect((await api("/api/settings/quotas", { token: admin.token })).body.quotas).toEqual(cleared.body.quotas);

    const audit = await api("/api/audit-events?type=organization.quotas_updated&limit=10", { token: admin.token });
    expect(audit.body.items.map((e: any) => e.data).reverse()).toEqual([
      {
        by: "operator",
        changes: {
          activeReports: { from: null, to: 10, inForce: { from: 1000, to: 10 } },
          emailsPerDay: { from: null, to: 20_000, inForce: { from: 5000, to: 20_000 } },
        },
      },
      {
        by: "operator",
        changes: {
          emailsPerDay: { from: 20_000, to: null, inForce: { from: 20_000, to: 5000 } },
          concurrentRuns: { from: null, to: 2, inForce: { from: 5, to: 2 } },
        },
      },
    ]);
    // The same values again change nothing and are not audited.
    await operatorApi(path, { method: "PUT", body: { concurrentRuns: 2 } });
    expect((await api("/api/audit-events?type=organization.quotas_updated&limit=10", { token: admin.token })).body.items).toHaveLength(2);
  });

  it("refuses users' sessions and bad input on the operator's quota routes, and answers 404 for no such organization", async () => {
    const admin = await newOrganization();
    const path = `/organizations/${admin.organizationId}/quotas`;
    for (const token of [null, admin.token, "wrong-token-wrong-token-wrong-token-0"]) {
      expectError(await operatorApi(path, { token }), 401, "unauthorized");
      expectError(await operatorApi(path, { method: "PUT", body: { emailsPerDay: 1 }, token }), 401, "unauthorized");
    }
    expectError(await api(`/api/operator${path}`, { method: "PUT", token: admin.token, body: { emailsPerDay: 1 } }), 401, "unauthorized");
    for (const body of [{ emailsPerDay: -1 }, { emailsPerDay: "many" }, { minIntervalMinutes: 0 }, { storage: 1 }, { retentionDays: 1.5 }]) {
      expectError(await operatorApi(path, { method: "PUT", body }), 400, "validation_failed");
    }
    expectError(await operatorApi("/organizations/no-such-org/quotas"), 404, "not_found");
    expectError(await operatorApi("/organizations/no-such-org/quotas", { method: "PUT", body: { emailsPerDay: 1 } }), 404, "not_found");
    expect(await countRows("organization_quotas", admin.organizationId)).toBe(0);
  });
});
