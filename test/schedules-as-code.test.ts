import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { countRows } from "./support/db";
import { createReport } from "./support/factories";

const daily = {
  key: "daily-sales",
  name: "Daily sales",
  reportType: "sales_summary",
  parameters: { dateRange: "yesterday" },
  format: "csv",
  schedule: { preset: "daily", time: "07:30", timezone: "Europe/Berlin", catchUp: "latest" },
  recipients: [{ type: "email", value: "sales@example.com" }],
  deliverWhen: { mode: "ifResults" },
};
const monthly = {
  key: "month-end",
  name: "Month end orders",
  reportType: "order_details",
  parameters: { dateRange: "last_month" },
  format: "xlsx",
  schedule: { preset: "monthly", time: "06:00", dayOfMonth: "last", timezone: "America/New_York", catchUp: "all", startAt: "2026-01-01T00:00:00.000Z" },
  recipients: [{ type: "webhook", value: "https://example.com/hooks/month-end" }],
};

const applyDoc = (user: TestUser, doc: unknown, dryRun = false) => api(`/api/scheduled-reports/apply?dryRun=${dryRun}`, { token: user.token, body: doc });

describe("schedules as code", () => {
  it("creates from a document, and applying it again changes nothing", async () => {
    const admin = await newOrganization();
    const first = await applyDoc(admin, { reports: [daily, monthly] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      plan: [
        { key: "daily-sales", action: "create" },
        { key: "month-end", action: "create" },
      ],
      applied: true,
    });
    const list = await api("/api/scheduled-reports", { token: admin.token });
    expect(list.body.items.map((r: { key: string }) => r.key).sort()).toEqual(["daily-sales", "month-end"]);
    const audits = await countRows("audit_events", admin.organizationId);
    const again = await applyDoc(admin, { reports: [daily, monthly] });
    expect(again.body.plan.map((s: { action: string }) => s.action)).toEqual(["unchanged", "unchanged"]);
    expect(await countRows("audit_events", admin.organizationId)).toBe(audits);
  });

  it("round-trips its own export, in JSON and in YAML", async () => {
    const admin = await newOrganization();
    await applyDoc(admin, { reports: [monthly, daily] });
    await createReport(admin, { name: "Hand-made, no key" });
    const exported = await api("/api/scheduled-reports/export", { token: admin.token });
    expect(exported.status).toBe(200);
    expect(exported.body.reports.map((r: { key: string | null }) => r.key)).toEqual(["daily-sales", "month-end", null]);
    expect(Object.keys(exported.body.reports[0])).toEqual([
      "key",
      "name",
      "reportType",
      "parameters",
      "format",
      "schedule",
      "recipients",
      "compress",
      "deliverWhen",
      "emptyResult",
      "triggerParameters",
      "isActive",
    ]);
    const keyed = exported.body.reports.filter((r: { key: string | null }) => r.key);
    const plan = await applyDoc(admin, { reports: keyed }, true);
    expect(plan.body.plan.map((s: { action: string }) => s.action)).toEqual(["unchanged", "unchanged"]);

    const yaml = await api("/api/scheduled-reports/export?format=yaml", { token: admin.token });
    expect(yaml.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(parse(yaml.body)).toEqual(exported.body);
  });

  it("plans field changes in a dry run without changing anything, then applies them", async () => {
    const admin = await newOrganization();
    await applyDoc(admin, { reports: [daily, monthly] });
    const changed = { ...daily, name: "Daily sales (EU)", schedule: { ...daily.schedule, time: "08:00" }, isActive: false };
    const before = await api("/api/scheduled-reports/export", { token: admin.token });
    const dry = await applyDoc(admin, { reports: [changed], prune: true }, true);
    expect(dry.body.applied).toBe(false);
    expect(dry.body.plan).toEqual([
      {
        key: "daily-sales",
        action: "update",
        changes: {
          name: { from: "Daily sales", to: "Daily sales (EU)" },
          schedule: { from: expect.objectContaining({ time: "07:30" }), to: expect.objectContaining({ time: "08:00" }) },
          isActive: { from: true, to: false },
        },
      },
      { key: "month-end", action: "delete" },
    ]);
    expect((await api("/api/scheduled-reports/export", { token: admin.token })).body).toEqual(before.body);

    const applied = await applyDoc(admin, { reports: [changed], prune: true });
    expect(applied.body.applied).toBe(true);
    const after = await api("/api/scheduled-reports/export", { token: admin.token });
    expect(after.body.reports).toHaveLength(1);
    expect(after.body.reports[0]).toMatchObject({ key: "daily-sales", name: "Daily sales (EU)", isActive: false, schedule: { time: "08:00" } });
    const report = (await api("/api/scheduled-reports", { token: admin.token })).body.items[0];
    expect(report.nextRunAt).toBeNull();
  });

  it("never prunes reports without a key", async () => {
    const admin = await newOrganization();
    const handMade = await createReport(admin);
    const res = await applyDoc(admin, { reports: [], prune: true });
    expect(res.body.plan).toEqual([]);
    expect((await api(`/api/scheduled-reports/${handMade.id}`, { token: admin.token })).status).toBe(200);
  });

  it("names the document path of each bad field and changes nothing", async () => {
    const admin = await newOrganization();
    const res = await applyDoc(admin, {
      reports: [
        daily,
        { ...monthly, parameters: { dateRange: "fortnight" } },
        { ...daily, key: "other", recipients: [{ type: "webhook", value: "http://169.254.169.254/latest" }] },
        { ...monthly, key: "daily-sales" },
      ],
    });
    expectError(res, 400, "validation_failed");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["reports.1.parameters.dateRange", "reports.2.recipients.0.value", "reports.3.key"]));
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(0);
    const schemaError = await applyDoc(admin, { reports: [{ ...daily, schedule: { ...daily.schedule, timezone: "Mars/Olympus" } }] });
    expectError(schemaError, 400);
    expect(schemaError.body.error.details[0].path).toBe("reports.0.schedule.timezone");
  });

  it("is for admins; any member may export", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    expectError(await applyDoc(editor, { reports: [daily] }), 403);
    expect((await api("/api/scheduled-reports/export", { token: editor.token })).status).toBe(200);
  });
});
