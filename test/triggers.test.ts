import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { enqueueDueRuns } from "../src/jobs/schedule/enqueue-due";
import { eventPeriodKey } from "../src/lib/schedule";
import { triggerReport } from "../src/services/executions/trigger";
import { api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { createReport } from "./support/factories";
import { executionById, executionsOf, setNextRun, tick } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

const eventSchedule = (extra: Record<string, unknown> = {}) => ({ trigger: "event", timezone: "Europe/Berlin", ...extra });

/** The trigger as a given moment would see it (the API uses the wall clock). */
function triggerAt(user: TestUser, reportId: string, now: Date, input = {}) {
  return triggerReport({
    ctx: {
      db: createDb(env.DB),
      env,
      now,
      auth: { organizationId: user.organizationId, role: "admin", actorId: user.userId, userId: user.userId, sessionId: null, apiKeyId: null },
    },
    id: reportId,
    input,
  });
}

describe("data-ready triggers", () => {
  it("runs an event report once per day however many triggers arrive", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: eventSchedule() });
    expect(report.nextRunAt).toBeNull();
    expect(report.schedule).toMatchObject({ trigger: "event", onMissedDeadline: "run" });
    const path = `/api/scheduled-reports/${report.id}/trigger`;
    const first = await api(path, { token: admin.token, method: "POST" });
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    const more = await Promise.all([1, 2, 3].map(() => api(path, { token: admin.token, body: {} })));
    for (const res of more) expect(res).toMatchObject({ status: 200, body: { executionId: first.body.executionId, duplicate: true } });
    const runs = await executionsOf(report.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "event", status: "pending", triggeredBy: admin.userId });
    expect(runs[0]!.scheduledFor).toEqual(eventPeriodKey("Europe/Berlin", undefined, new Date()));
  });

  it("starts a new period on the next local day, not the next UTC day", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: eventSchedule({ timezone: "America/New_York" }) });
    // 23:30 and 01:30 UTC are the same New York day (18:30 and 20:30 EST); 05:30 UTC the next one.
    const a = await triggerAt(admin, report.id, new Date("2026-12-01T23:30:00Z"));
    const b = await triggerAt(admin, report.id, new Date("2026-12-02T01:30:00Z"));
    const c = await triggerAt(admin, report.id, new Date("2026-12-02T05:30:00Z"));
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ executionId: a.executionId, duplicate: true });
    expect(c.duplicate).toBe(false);
    expect((await executionById(a.executionId)).scheduledFor.toISOString()).toBe("2026-12-01T05:00:00.000Z");
    expect((await executionById(c.executionId)).scheduledFor.toISOString()).toBe("2026-12-02T05:00:00.000Z");
  });

  it("runs anyway at the deadline when no trigger came, and a later trigger that day is a duplicate", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: eventSchedule({ deadline: "09:30", onMissedDeadline: "run" }) });
    expect(Date.parse(report.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
    const deadline = new Date("2026-12-03T08:30:00Z"); // 09:30 in Berlin (CET)
    await setNextRun(report.id, deadline);
    await tick(new Date("2026-12-03T08:31:00Z"));
    const runs = await executionsOf(report.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", status: "pending" });
    expect(runs[0]!.scheduledFor.toISOString()).toBe(deadline.toISOString());
    const late = await triggerAt(admin, report.id, new Date("2026-12-03T12:00:00Z"));
    expect(late).toEqual({ executionId: runs[0]!.id, duplicate: true });
    // A trigger before the deadline takes the day, and the deadline then runs nothing more.
    const early = await triggerAt(admin, report.id, new Date("2026-12-04T06:00:00Z"));
    expect(early.duplicate).toBe(false);
    await setNextRun(report.id, new Date("2026-12-04T08:30:00Z"));
    await tick(new Date("2026-12-04T08:31:00Z"));
    expect(await executionsOf(report.id)).toHaveLength(2);
  });

  it("alerts the owner at the deadline instead of running, and a late trigger still runs that day", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: eventSchedule({ deadline: "09:30", onMissedDeadline: "alert" }) });
    const deadline = new Date("2026-12-03T08:30:00Z");
    await setNextRun(report.id, deadline);
    const queues = recordingQueues();
    await enqueueDueRuns(queues.env, new Date("2026-12-03T08:31:00Z"));
    const [missed] = await executionsOf(report.id);
    expect(missed).toMatchObject({ status: "failed", errorClass: "trigger_missed", nextAttemptAt: null });
    expect(missed!.errorMessage).toMatch(/No data-ready trigger arrived by the deadline 09:30/);
    // Nothing was queued to run; the owner's notice was.
    expect(queues.sent).toEqual([expect.objectContaining({ kind: "notify_execution_failed", executionId: missed!.id })]);
    const late = await triggerAt(admin, report.id, new Date("2026-12-03T11:00:00Z"), { dataAsOf: "2026-12-03T10:45:00Z" });
    expect(late).toEqual({ executionId: missed!.id, duplicate: false });
    const revived = await executionById(missed!.id);
    expect(revived).toMatchObject({ status: "pending", trigger: "event", errorClass: null, errorMessage: null });
    expect(revived.dataAsOf?.toISOString()).toBe("2026-12-03T10:45:00.000Z");
    expect((await triggerAt(admin, report.id, new Date("2026-12-03T11:05:00Z"))).duplicate).toBe(true);
  });

  it("carries parameter overrides and dataAsOf to the run, and checks the overrides", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { reportType: "sales_summary", parameters: { dateRange: "last_7_days" }, schedule: eventSchedule() });
    const bad = await api(`/api/scheduled-reports/${report.id}/trigger`, { token: admin.token, body: { parameters: { dateRange: "fortnight" } } });
    expectError(bad, 400, "validation_failed");
    expect(bad.body.error.details[0].path).toBe("parameters.dateRange");
    expect(await executionsOf(report.id)).toHaveLength(0);
    const ok = await api(`/api/scheduled-reports/${report.id}/trigger`, {
      token: admin.token,
      body: { parameters: { dateRange: "yesterday" }, dataAsOf: "2026-11-29T06:00:00Z" },
    });
    expect(ok.status).toBe(202);
    const run = await executionById(ok.body.executionId);
    expect(run.parameterOverrides).toEqual({ dateRange: "yesterday" });
    const listed = await api(`/api/executions/${ok.body.executionId}`, { token: admin.token });
    expect(listed.body).toMatchObject({ trigger: "event", dataAsOf: "2026-11-29T06:00:00.000Z" });
  });

  it("lets only the report's manager override parameters on a trigger, unless the report opened them (#23 item 4)", async () => {
    const admin = await newOrganization();
    const owner = await newMember(admin, "editor");
    const editor = await newMember(admin, "editor");
    const report = await createReport(owner, { reportType: "sales_summary", parameters: { dateRange: "last_7_days" }, schedule: eventSchedule() });
    const trigger = (user: TestUser, body: Record<string, unknown>) => api(`/api/scheduled-reports/${report.id}/trigger`, { token: user.token, body });
    // The other editor gets 403 on PATCH and run: a trigger with overrides must not be a way around it.
    expectError(await api(`/api/scheduled-reports/${report.id}`, { token: editor.token, method: "PATCH", body: { name: "x" } }), 403);
    const refused = await trigger(editor, { parameters: { region: "EU" } });
    expectError(refused, 403, "forbidden");
    expect(refused.body.error.message).toContain("region");
    expect(await executionsOf(report.id)).toHaveLength(0);

    // The report opens region to triggers: the editor may set it, and still nothing else.
    const patched = await api(`/api/scheduled-reports/${report.id}`, { token: owner.token, method: "PATCH", body: { triggerParameters: ["region"] } });
    expect(patched.body.triggerParameters).toEqual(["region"]);
    expectError(await trigger(editor, { parameters: { region: "EU", dateRange: "last_90_days" } }), 403, "forbidden");
    expect(await executionsOf(report.id)).toHaveLength(0);
    const allowed = await trigger(editor, { parameters: { region: "EU" } });
    expect(allowed.status).toBe(202);
    expect((await executionById(allowed.body.executionId)).parameterOverrides).toEqual({ region: "EU" });
  });

  it("lets the owner-editor and an admin override any parameter, and anyone trigger without overrides", async () => {
    const admin = await newOrganization();
    const owner = await newMember(admin, "editor");
    const editor = await newMember(admin, "editor");
    const mk = () => createReport(owner, { reportType: "sales_summary", parameters: { dateRange: "last_7_days" }, schedule: eventSchedule() });
    const [a, b, c] = [await mk(), await mk(), await mk()];
    const trigger = (user: TestUser, id: string, body: Record<string, unknown>) => api(`/api/scheduled-reports/${id}/trigger`, { token: user.token, body });
    expect((await trigger(owner, a.id, { parameters: { region: "APAC", dateRange: "yesterday" } })).status).toBe(202);
    expect((await trigger(admin, b.id, { parameters: { region: "NA" } })).status).toBe(202);
    expect((await trigger(editor, c.id, { parameters: {} })).status).toBe(202);
    expect((await executionsOf(a.id))[0]!.parameterOverrides).toEqual({ region: "APAC", dateRange: "yesterday" });
  });

  it("keeps triggerParameters to the report type's parameters", async () => {
    const admin = await newOrganization();
    const res = await api("/api/scheduled-reports", {
      token: admin.token,
      body: { ...baseReport(), schedule: eventSchedule(), triggerParameters: ["regoin"] },
    });
    expectError(res, 400, "validation_failed");
    expect(res.body.error.details[0]).toMatchObject({ path: "triggerParameters" });
    const ok = await api("/api/scheduled-reports", {
      token: admin.token,
      body: { ...baseReport(), schedule: eventSchedule(), triggerParameters: ["region", "dateRange", "region"] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.triggerParameters).toEqual(["dateRange", "region"]);
  });

  it("refuses a report on a clock, a paused one, viewers and other organizations", async () => {
    const admin = await newOrganization();
    const clock = await createReport(admin);
    expectError(await api(`/api/scheduled-reports/${clock.id}/trigger`, { token: admin.token, method: "POST" }), 409, "conflict");
    const event = await createReport(admin, { schedule: eventSchedule() });
    const viewer = await newMember(admin, "viewer");
    expectError(await api(`/api/scheduled-reports/${event.id}/trigger`, { token: viewer.token, method: "POST" }), 403);
    const other = await newOrganization();
    expectError(await api(`/api/scheduled-reports/${event.id}/trigger`, { token: other.token, method: "POST" }), 404);
    await api(`/api/scheduled-reports/${event.id}/pause`, { token: admin.token, method: "POST" });
    expectError(await api(`/api/scheduled-reports/${event.id}/trigger`, { token: admin.token, method: "POST" }), 409);
    expect(await executionsOf(event.id)).toHaveLength(0);
  });

  it("validates the event schedule", async () => {
    const admin = await newOrganization();
    const cases = [
      { schedule: eventSchedule({ cron: "0 9 * * *" }), path: "schedule.trigger" },
      { schedule: eventSchedule({ deadline: "9:30" }), path: "schedule.deadline" },
      { schedule: { cron: "0 9 * * *", timezone: "UTC", deadline: "09:30" }, path: "schedule.deadline" },
    ];
    for (const c of cases) {
      const res = await api("/api/scheduled-reports", { token: admin.token, body: { ...baseReport(), schedule: c.schedule } });
      expectError(res, 400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(c.path);
    }
  });
});

function baseReport() {
  return { name: "Triggered", reportType: "sales_summary", parameters: {}, format: "csv", recipients: [] };
}
