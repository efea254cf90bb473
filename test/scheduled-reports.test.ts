import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization, unique } from "./support/api";
import { snapshotCounts } from "./support/db";
import { createReport, reportBody } from "./support/factories";

const FUTURE = { cron: "0 9 * * 1", timezone: "Europe/Berlin", startAt: "2030-01-01T00:00:00.000Z" };

describe("POST /api/scheduled-reports", () => {
  it("creates a report with its next run computed in the report's timezone", async () => {
    const admin = await newOrganization();
    const res = await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ schedule: FUTURE }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reportType: "sales_summary",
      format: "xlsx",
      isActive: true,
      createdBy: admin.userId,
      lastRunAt: null,
      // 2030-01-01 is a Tuesday; the next Monday 09:00 in Berlin (CET, UTC+1) is 08:00Z on the 7th.
      nextRunAt: "2030-01-07T08:00:00.000Z",
      schedule: { cron: "0 9 * * 1", timezone: "Europe/Berlin", catchUp: "latest", startAt: "2030-01-01T00:00:00.000Z", endAt: null },
    });
    expect(res.body.schedule.description).toMatch(/Monday/);
    expect(res.body.parameters.dateRange).toBe("last_7_days");
    const got = await api(`/api/scheduled-reports/${res.body.id}`, { token: admin.token });
    expect(got.body).toMatchObject({ id: res.body.id, nextRunAt: "2030-01-07T08:00:00.000Z", lastExecution: null });
  });

  it("expands a preset into cron and keeps the preset", async () => {
    const admin = await newOrganization();
    const res = await api("/api/scheduled-reports", {
      token: admin.token,
      body: reportBody({ schedule: { preset: "daily", time: "07:30", timezone: "Asia/Kolkata", startAt: "2030-06-01T00:00:00Z" } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.schedule).toMatchObject({ preset: "daily", time: "07:30", cron: "30 7 * * *" });
    // 07:30 in Kolkata (UTC+05:30) is 02:00Z, and 2030-06-01 02:00Z is after startAt.
    expect(res.body.nextRunAt).toBe("2030-06-01T02:00:00.000Z");
  });

  it("records the creation and each recipient in the audit log", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const events = (await api("/api/audit-events", { token: admin.token })).body.items.filter((e: any) => e.targetId === report.id);
    expect(events.map((e: any) => e.type).sort()).toEqual(["recipient.added", "recipient.added", "scheduled_report.created"]);
    expect(events.every((e: any) => e.actorId === admin.userId)).toBe(true);
  });

  it.each([
    ["an unknown report type", { reportType: "nope" }, "reportType"],
    ["parameters the type does not accept", { parameters: { dateRange: "last_century" } }, "parameters.dateRange"],
    ["a custom range without dates", { parameters: { dateRange: "custom" } }, "parameters.from"],
    ["an unknown format", { format: "docx" }, "format"],
    ["a cron with six fields", { schedule: { cron: "0 0 9 * * 1", timezone: "UTC" } }, "schedule.cron"],
    ["a cron that is not one", { schedule: { cron: "every monday", timezone: "UTC" } }, "schedule.cron"],
    ["both a cron and a preset", { schedule: { cron: "0 9 * * *", preset: "daily", timezone: "UTC" } }, "schedule.cron"],
    ["neither a cron nor a preset", { schedule: { timezone: "UTC" } }, "schedule.cron"],
    ["a preset with a bad time", { schedule: { preset: "daily", time: "25:00", timezone: "UTC" } }, "schedule.preset"],
    ["a monthly preset on the 31st", { schedule: { preset: "monthly", dayOfMonth: 31, timezone: "UTC" } }, "schedule.preset"],
    ["an invalid timezone", { schedule: { cron: "0 9 * * 1", timezone: "Mars/Olympus" } }, "schedule.timezone"],
    ["an end before the start", { schedule: { ...FUTURE, endAt: "2029-01-01T00:00:00Z" } }, "schedule.endAt"],
    ["an unknown catch-up policy", { schedule: { ...FUTURE, catchUp: "sometimes" } }, "schedule.catchUp"],
    ["a bad email", { recipients: [{ type: "email", value: "nobody" }] }, "recipients.0.value"],
    ["an http webhook", { recipients: [{ type: "webhook", value: "http://example.com/hook" }] }, "recipients.0.value"],
    ["a webhook to a private address", { recipients: [{ type: "webhook", value: "https://10.1.2.3/hook" }] }, "recipients.0.value"],
    ["a webhook to cloud metadata", { recipients: [{ type: "webhook", value: "https://169.254.169.254/latest" }] }, "recipients.0.value"],
    ["a webhook to a private host written in decimal", { recipients: [{ type: "webhook", value: "https://167772161/x" }] }, "recipients.0.value"],
    ["a webhook to metadata written in hex", { recipients: [{ type: "webhook", value: "https://0xa9.0xfe.0xa9.0xfe/x" }] }, "recipients.0.value"],
    ["a Slack URL to an IPv6 private address", { recipients: [{ type: "slack", value: "https://[fd00::1]/x" }] }, "recipients.0.value"],
    ["an unknown recipient type", { recipients: [{ type: "fax", value: "123" }] }, "recipients.0.type"],
    [
      "the same recipient twice",
      {
        recipients: [
          { type: "email", value: "a@example.com" },
          { type: "email", value: "A@example.com" },
        ],
      },
      "recipients.1.value",
    ],
    ["an empty name", { name: "  " }, "name"],
    ["an unknown field", { owner: "me" }, ""],
  ])("refuses %s with a validation error and writes nothing", async (_, override, path) => {
    const admin = await newOrganization();
    const before = await snapshotCounts(admin.organizationId);
    const res = await api("/api/scheduled-reports", { token: admin.token, body: reportBody(override) });
    expectError(res, 400, "validation_failed");
    if (path) expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });

  it("accepts a loopback webhook in local development (LOCAL_DEV=true here)", async () => {
    const admin = await newOrganization();
    const res = await api("/api/scheduled-reports", {
      token: admin.token,
      body: reportBody({ recipients: [{ type: "webhook", value: "http://127.0.0.1:9999/hook" }] }),
    });
    expect(res.status).toBe(201);
  });

  it("refuses email recipients outside the organization's allowed domains", async () => {
    const admin = await newOrganization();
    await api("/api/settings", { method: "PATCH", token: admin.token, body: { allowedEmailDomains: ["acme.test"] } });
    const before = await snapshotCounts(admin.organizationId);
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: reportBody() }), 400, "validation_failed");
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
    const ok = await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients: [{ type: "email", value: "ops@acme.test" }] }) });
    expect(ok.status).toBe(201);
  });

  it("refuses a report type the organization turned off", async () => {
    const admin = await newOrganization();
    await api("/api/settings", { method: "PATCH", token: admin.token, body: { disabledReportTypes: ["sales_summary"] } });
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: reportBody() }), 403);
  });

  it("lets an editor create, and refuses a viewer", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    const viewer = await newMember(admin, "viewer");
    expect((await api("/api/scheduled-reports", { token: editor.token, body: reportBody() })).status).toBe(201);
    const before = await snapshotCounts(admin.organizationId);
    expectError(await api("/api/scheduled-reports", { token: viewer.token, body: reportBody() }), 403);
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });

  it("refuses a request without a token", async () => {
    expectError(await api("/api/scheduled-reports", { body: reportBody() }), 401);
  });
});

describe("GET /api/scheduled-reports", () => {
  it("pages through the organization's reports, newest first, and only its own", async () => {
    const admin = await newOrganization();
    const other = await newOrganization();
    await createReport(other);
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await createReport(admin, { name: `Report ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api(`/api/scheduled-reports?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((r: any) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it("filters by status, report type and name", async () => {
    const admin = await newOrganization();
    const weekly = await createReport(admin, { name: "Weekly EU sales" });
    const tickets = await createReport(admin, { name: "Backlog 50%_off", reportType: "ticket_backlog", parameters: {}, format: "csv" });
    await api(`/api/scheduled-reports/${weekly.id}/pause`, { method: "POST", token: admin.token });
    const ids = async (qs: string) => (await api(`/api/scheduled-reports?${qs}`, { token: admin.token })).body.items.map((r: any) => r.id);
    expect(await ids("status=paused")).toEqual([weekly.id]);
    expect(await ids("status=active")).toEqual([tickets.id]);
    expect(await ids("reportType=ticket_backlog")).toEqual([tickets.id]);
    expect(await ids("q=eu%20SALES")).toEqual([weekly.id]);
    // LIKE wildcards in the search are literal characters.
    expect(await ids("q=50%25_")).toEqual([tickets.id]);
    expect(await ids("q=%25")).toEqual([tickets.id]);
  });

  it.each([["limit=0"], ["limit=101"], ["status=sleeping"], ["cursor=garbage"]])("refuses %s", async (qs) => {
    const admin = await newOrganization();
    expectError(await api(`/api/scheduled-reports?${qs}`, { token: admin.token }), 400, "validation_failed");
  });

  it("lets a viewer read", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const viewer = await newMember(admin, "viewer");
    expect((await api("/api/scheduled-reports", { token: viewer.token })).body.items[0].id).toBe(report.id);
    expect((await api(`/api/scheduled-reports/${report.id}`, { token: viewer.token })).status).toBe(200);
  });
});

describe("changing a report", () => {
  it("recomputes nextRunAt when the schedule changes and audits recipient changes", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: FUTURE });
    const res = await api(`/api/scheduled-reports/${report.id}`, {
      method: "PATCH",
      token: admin.token,
      body: {
        schedule: { cron: "0 9 * * 1", timezone: "America/New_York", startAt: "2030-01-01T00:00:00Z" },
        recipients: [
          { type: "email", value: "ops@example.com" },
          { type: "email", value: "cfo@example.com" },
        ],
      },
    });
    expect(res.status).toBe(200);
    // Monday 2030-01-07 09:00 EST (UTC-5) is 14:00Z.
    expect(res.body.nextRunAt).toBe("2030-01-07T14:00:00.000Z");
    expect(res.body.name).toBe(report.name);
    const events = (await api(`/api/audit-events?limit=100`, { token: admin.token })).body.items.filter((e: any) => e.targetId === report.id);
    const recipientEvents = events.filter((e: any) => e.type.startsWith("recipient.") && e.createdAt === events[0].createdAt);
    expect(recipientEvents.map((e: any) => [e.type, e.data.value]).sort()).toEqual([
      ["recipient.added", "cfo@example.com"],
      ["recipient.removed", "https://example.com/hooks/reports"],
    ]);
    expect(events.some((e: any) => e.type === "scheduled_report.updated")).toBe(true);
  });

  it("re-checks the parameters against a new report type", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const before = await api(`/api/scheduled-reports/${report.id}`, { token: admin.token });
    const res = await api(`/api/scheduled-reports/${report.id}`, {
      method: "PATCH",
      token: admin.token,
      body: { reportType: "top_customers", parameters: { limit: 0 } },
    });
    expectError(res, 400, "validation_failed");
    const after = await api(`/api/scheduled-reports/${report.id}`, { token: admin.token });
    expect(after.body).toEqual(before.body);
  });

  it("pauses and resumes: paused reports have no next run, resume recomputes it from now", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: { cron: "*/5 * * * *", timezone: "UTC" } });
    const paused = await api(`/api/scheduled-reports/${report.id}/pause`, { method: "POST", token: admin.token });
    expect(paused.body).toMatchObject({ isActive: false, nextRunAt: null });
    const resumed = await api(`/api/scheduled-reports/${report.id}/resume`, { method: "POST", token: admin.token });
    expect(resumed.body.isActive).toBe(true);
    const next = Date.parse(resumed.body.nextRunAt);
    expect(next).toBeGreaterThan(Date.now() - 1000);
    expect(next).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(new Date(next).getUTCMinutes() % 5).toBe(0);
    const types = (await api("/api/audit-events?type=scheduled_report.paused", { token: admin.token })).body.items.map((e: any) => e.targetId);
    expect(types).toEqual([report.id]);
  });

  it("deletes a report", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    expect((await api(`/api/scheduled-reports/${report.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expectError(await api(`/api/scheduled-reports/${report.id}`, { token: admin.token }), 404);
    const deleted = (await api("/api/audit-events?type=scheduled_report.deleted", { token: admin.token })).body.items;
    expect(deleted.map((e: any) => e.targetId)).toEqual([report.id]);
  });
});

describe("who may change a report", () => {
  const mutations = (id: string) => [
    { method: "PATCH", path: `/api/scheduled-reports/${id}`, body: { name: "Changed" } },
    { method: "POST", path: `/api/scheduled-reports/${id}/pause` },
    { method: "POST", path: `/api/scheduled-reports/${id}/resume` },
    { method: "DELETE", path: `/api/scheduled-reports/${id}` },
  ];

  it("gives 404 for another organization's report, on reads and writes, and changes nothing", async () => {
    const owner = await newOrganization();
    const intruder = await newOrganization();
    const report = await createReport(owner);
    expectError(await api(`/api/scheduled-reports/${report.id}`, { token: intruder.token }), 404);
    for (const m of mutations(report.id)) expectError(await api(m.path, { method: m.method, token: intruder.token, body: m.body }), 404);
    const after = await api(`/api/scheduled-reports/${report.id}`, { token: owner.token });
    expect(after.body).toMatchObject({ name: report.name, isActive: true });
  });

  it("refuses a viewer, and an editor on someone else's report, but lets an editor manage its own", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    const editor = await newMember(admin, "editor");
    const adminsReport = await createReport(admin);
    for (const who of [viewer, editor]) {
      for (const m of mutations(adminsReport.id)) expectError(await api(m.path, { method: m.method, token: who.token, body: m.body }), 403);
    }
    expect((await api(`/api/scheduled-reports/${adminsReport.id}`, { token: admin.token })).body).toMatchObject({ name: adminsReport.name, isActive: true });
    const own = await createReport(editor);
    for (const m of mutations(own.id)) expect((await api(m.path, { method: m.method, token: editor.token, body: m.body })).status).toBeLessThan(300);
    // ...and an admin may manage the editor's reports.
    const editorsOther = await createReport(editor);
    expect((await api(`/api/scheduled-reports/${editorsOther.id}/pause`, { method: "POST", token: admin.token })).status).toBe(200);
  });
});

describe("POST /api/schedules/preview", () => {
  it("lists the next runs of a cron in a timezone across a DST change", async () => {
    const admin = await newOrganization();
    const res = await api("/api/schedules/preview", {
      token: admin.token,
      body: { schedule: { cron: "0 9 * * *", timezone: "America/New_York" }, from: "2026-03-06T00:00:00Z", count: 4 },
    });
    expect(res.status).toBe(200);
    // EST (UTC-5) until 8 March 2026, EDT (UTC-4) from then on.
    expect(res.body.nextRuns).toEqual(["2026-03-06T14:00:00.000Z", "2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });

  it("defaults to five runs and refuses bad input", async () => {
    const admin = await newOrganization();
    const ok = await api("/api/schedules/preview", { token: admin.token, body: { schedule: { preset: "hourly", minute: 15, timezone: "UTC" } } });
    expect(ok.body.nextRuns).toHaveLength(5);
    expect(ok.body.nextRuns.every((t: string) => t.slice(14, 16) === "15")).toBe(true);
    expectError(await api("/api/schedules/preview", { token: admin.token, body: { schedule: { cron: "0 9 * * *", timezone: "UTC" }, count: 51 } }), 400);
    expectError(await api("/api/schedules/preview", { body: { schedule: { cron: "0 9 * * *", timezone: "UTC" } } }), 401);
  });
});

describe("the cross-cutting contract", () => {
  it("puts X-Request-Id on every response, errors included", async () => {
    const ok = await api("/api/health");
    const missing = await api("/api/nothing-here");
    const unauthorized = await api("/api/me");
    for (const res of [ok, missing, unauthorized]) expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.body.error.requestId).toBe(missing.headers.get("x-request-id"));
    expectError(missing, 404, "not_found");
  });

  it("serves an OpenAPI document that describes every endpoint", async () => {
    const res = await api("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const paths = Object.keys(res.body.paths);
    for (const p of [
      "/auth/signup",
      "/auth/login",
      "/auth/logout",
      "/me",
      "/users",
      "/users/{id}",
      "/scheduled-reports",
      "/scheduled-reports/{id}",
      "/scheduled-reports/{id}/pause",
      "/scheduled-reports/{id}/resume",
      "/schedules/preview",
      "/report-types",
      "/report-types/{id}/preview",
      "/audit-events",
      "/settings",
      "/scheduled-reports/{id}/run",
      "/scheduled-reports/{id}/executions",
      "/executions",
      "/executions/{id}",
      "/executions/{id}/retry",
      "/executions/{id}/download",
      "/files/{token}",
      "/metrics",
      "/alerts",
      "/deliveries/{id}",
      "/settings/webhook-secret",
    ]) {
      expect(paths).toContain(p);
    }
    expect(res.body.components.schemas.CreateScheduledReport.properties.schedule).toBeDefined();
  });

  it("keeps the audit log to the organization, filtered by type and actor", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    const other = await newOrganization();
    await createReport(other);
    await createReport(editor, { name: unique("by editor") });
    const all = (await api("/api/audit-events?limit=100", { token: admin.token })).body.items;
    expect(all.every((e: any) => e.actorId === admin.userId || e.actorId === editor.userId)).toBe(true);
    const byEditor = (await api(`/api/audit-events?actor=${editor.userId}&type=scheduled_report.created`, { token: admin.token })).body.items;
    expect(byEditor).toHaveLength(1);
  });
});
