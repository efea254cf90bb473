import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXPORT_MAX_BYTES } from "../src/services/scheduled-reports/export";
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
    const handMade = await createReport(admin, { name: "Hand-made, no key" });
    const exported = await api("/api/scheduled-reports/export", { token: admin.token });
    expect(exported.status).toBe(200);
    // A report without a key is exported with a generated one, and adopt naming it.
    expect(exported.body.reports.map((r: { key: string }) => r.key)).toEqual([
      "daily-sales",
      expect.stringMatching(/^hand-made-no-key-[0-9a-f]{8}$/),
      "month-end",
    ]);
    expect(exported.body.reports.map((r: { adopt?: string }) => r.adopt)).toEqual([undefined, handMade.id, undefined]);
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
    const plan = await applyDoc(admin, exported.body, true);
    expect(plan.body.plan.map((s: { action: string }) => s.action)).toEqual(["unchanged", "adopt", "unchanged"]);

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

/** `times` copies of a report, straight in the database (the API would refuse bodies this large). */
async function copyReport(id: string, times: number) {
  const { results } = await env.DB.prepare("select name from pragma_table_info('scheduled_reports')").all<{ name: string }>();
  const cols = results.map((r) => r.name);
  const pick = (c: string) =>
    c === "id" ? "lower(hex(randomblob(16)))" : c === "key" ? "null" : c === "name" ? "name || ' ' || lower(hex(randomblob(6)))" : c;
  const insert = `insert into scheduled_reports (${cols.join(", ")}) select ${cols.map(pick).join(", ")} from scheduled_reports where id = ?`;
  await env.DB.batch(Array.from({ length: times }, () => env.DB.prepare(insert).bind(id)));
}

describe("the export's size", () => {
  it("answers 413 naming the limit for a document over 5 MiB, in JSON and YAML, and exports one below it whole", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    // About 100 KB of parameters a report: 55 of them are over the limit, 45 under it.
    await env.DB.prepare("update scheduled_reports set report_parameters = json_object('dateRange', 'yesterday', 'pad', hex(randomblob(50000))) where id = ?")
      .bind(report.id)
      .run();
    await copyReport(report.id, 54);
    for (const format of ["json", "yaml"]) {
      const res = await api(`/api/scheduled-reports/export?format=${format}`, { token: admin.token });
      expectError(res, 413, "payload_too_large");
      expect(res.body.error.message).toContain(`limited to 5.0 MiB (${EXPORT_MAX_BYTES} bytes)`);
      expect(res.body.error.details).toEqual([{ path: "reports", message: `exportMaxBytes: the limit is ${EXPORT_MAX_BYTES}`, code: "exportMaxBytes" }]);
    }
    await env.DB.prepare(
      "delete from scheduled_reports where organization_id = ? and id in (select id from scheduled_reports where organization_id = ? and id != ? limit 10)",
    )
      .bind(admin.organizationId, admin.organizationId, report.id)
      .run();
    const whole = await api("/api/scheduled-reports/export", { token: admin.token });
    expect(whole.status).toBe(200);
    expect(whole.body.reports).toHaveLength(45);
    const bytes = JSON.stringify(whole.body).length;
    expect(bytes).toBeGreaterThan(4_000_000);
    expect(bytes).toBeLessThan(EXPORT_MAX_BYTES);
  });
});
