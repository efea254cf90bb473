import { describe, expect, it } from "vitest";
import { api, expectError, newOrganization, type TestUser } from "./support/api";
import { countRows } from "./support/db";
import { createReport } from "./support/factories";
import { setQuotas } from "./support/operator";

type Entry = { key: string; adopt?: string; name: string; [field: string]: unknown };

const applyDoc = (user: TestUser, doc: unknown, dryRun = false) => api(`/api/scheduled-reports/apply?dryRun=${dryRun}`, { token: user.token, body: doc });
const exportDoc = async (user: TestUser) => (await api("/api/scheduled-reports/export", { token: user.token })).body as { reports: Entry[] };
const listReports = async (user: TestUser) =>
  (await api("/api/scheduled-reports?limit=100", { token: user.token })).body.items as { id: string; key: string | null; name: string }[];

describe("schedules as code adopts reports instead of duplicating them", () => {
  it("exports a report without a key with a stable generated key and adopt, and applying the export as it is adopts it", async () => {
    const admin = await newOrganization();
    const handMade = await createReport(admin, { name: "Weekly sales (EU)" });
    const first = await exportDoc(admin);
    expect(first.reports).toHaveLength(1);
    const entry = first.reports[0]!;
    expect(entry.key).toMatch(/^weekly-sales-eu-[0-9a-f]{8}$/);
    expect(entry.adopt).toBe(handMade.id);
    expect(Object.keys(entry).slice(0, 3)).toEqual(["key", "adopt", "name"]);
    expect(await exportDoc(admin)).toEqual(first);

    const dry = await applyDoc(admin, first, true);
    expect(dry.status).toBe(200);
    expect(dry.body.plan).toEqual([{ key: entry.key, action: "adopt", reportId: handMade.id }]);
    expect((await listReports(admin))[0]!.key).toBeNull();

    const applied = await applyDoc(admin, first);
    expect(applied.body).toEqual({ plan: [{ key: entry.key, action: "adopt", reportId: handMade.id }], applied: true });
    expect(await listReports(admin)).toEqual([expect.objectContaining({ id: handMade.id, key: entry.key })]);

    // Adopted: the next export has the same key and no adopt, and both documents now change nothing.
    const { adopt: _adopt, ...adoptedEntry } = entry;
    expect(await exportDoc(admin)).toEqual({ reports: [adoptedEntry] });
    expect((await applyDoc(admin, first)).body.plan).toEqual([{ key: entry.key, action: "unchanged" }]);
    expect((await applyDoc(admin, await exportDoc(admin))).body.plan).toEqual([{ key: entry.key, action: "unchanged" }]);
  });

  it("adopts a report whose definition is identical when the entry has a key of its own and no adopt", async () => {
    const admin = await newOrganization();
    const handMade = await createReport(admin);
    const { adopt: _adopt, ...entry } = (await exportDoc(admin)).reports[0]!;
    // The README's old advice: give the report a key. Recipients in another order are the same report.
    const keyed = { ...entry, key: "weekly-sales", name: "Weekly sales, renamed", recipients: [...(entry.recipients as unknown[])].reverse() };
    const plan = await applyDoc(admin, { reports: [keyed] });
    expect(plan.body.plan).toEqual([
      {
        key: "weekly-sales",
        action: "adopt",
        reportId: handMade.id,
        changes: {
          name: { from: entry.name, to: "Weekly sales, renamed" },
          recipients: { from: entry.recipients, to: keyed.recipients },
        },
      },
    ]);
    expect(await listReports(admin)).toEqual([expect.objectContaining({ id: handMade.id, key: "weekly-sales", name: "Weekly sales, renamed" })]);
    expect((await applyDoc(admin, { reports: [keyed] })).body.plan).toEqual([{ key: "weekly-sales", action: "unchanged" }]);
  });

  it("creates a report whose delivery differs, and adopts by an explicit adopt with any field changes", async () => {
    const admin = await newOrganization();
    const handMade = await createReport(admin);
    const { adopt: _adopt, ...entry } = (await exportDoc(admin)).reports[0]!;
    const otherTime = { ...entry, key: "weekly-sales", schedule: { ...(entry.schedule as object), cron: "0 10 * * 1" } };
    expect((await applyDoc(admin, { reports: [otherTime] }, true)).body.plan).toEqual([{ key: "weekly-sales", action: "create" }]);

    const applied = await applyDoc(admin, { reports: [{ ...otherTime, adopt: handMade.id, isActive: false }] });
    expect(applied.body.plan).toEqual([
      {
        key: "weekly-sales",
        action: "adopt",
        reportId: handMade.id,
        changes: {
          schedule: { from: expect.objectContaining({ cron: "0 9 * * 1" }), to: expect.objectContaining({ cron: "0 10 * * 1" }) },
          isActive: { from: true, to: false },
        },
      },
    ]);
    const report = (await api(`/api/scheduled-reports/${handMade.id}`, { token: admin.token })).body;
    expect(report).toMatchObject({ key: "weekly-sales", isActive: false, nextRunAt: null, schedule: { cron: "0 10 * * 1" } });
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(1);
  });

  it("prunes adopted reports like any keyed report, and never one it did not adopt", async () => {
    const admin = await newOrganization();
    const adoptedReport = await createReport(admin, { name: "Adopted" });
    const leftAlone = await createReport(admin, { name: "Left alone", format: "csv" });
    const entry = (await exportDoc(admin)).reports.find((r) => r.adopt === adoptedReport.id)!;
    expect((await applyDoc(admin, { reports: [entry], prune: true })).body.plan).toEqual([{ key: entry.key, action: "adopt", reportId: adoptedReport.id }]);
    const pruned = await applyDoc(admin, { reports: [], prune: true });
    expect(pruned.body.plan).toEqual([{ key: entry.key, action: "delete" }]);
    expect((await listReports(admin)).map((r) => r.id)).toEqual([leftAlone.id]);
  });

  it("gives reports of the same name different keys", async () => {
    const admin = await newOrganization();
    await createReport(admin, { name: "Same name" });
    await createReport(admin, { name: "Same name" });
    await createReport(admin, { name: "Ümlaut & Co: 2026!" });
    const keys = (await exportDoc(admin)).reports.map((r) => r.key);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).toMatch(/^(same-name|umlaut-co-2026)-[0-9a-f]{8}$/);
    expect((await applyDoc(admin, await exportDoc(admin))).body.plan.map((s: { action: string }) => s.action)).toEqual(["adopt", "adopt", "adopt"]);
    expect(new Set((await listReports(admin)).map((r) => r.key))).toEqual(new Set(keys));
  });

  it("refuses adopting what it cannot, naming the path, and changes nothing", async () => {
    const admin = await newOrganization();
    const stranger = await newOrganization();
    const theirs = await createReport(stranger);
    const twinA = await createReport(admin, { name: "Twin" });
    await createReport(admin, { name: "Twin" });
    const keyed = await createReport(admin, { key: "kept", format: "csv" });
    const other = await createReport(admin, { name: "Other", format: "csv" });
    const doc = await exportDoc(admin);
    const twin = doc.reports.find((r) => r.adopt === twinA.id)!;
    const { adopt: _adopt, ...twinWithoutAdopt } = twin;
    const res = await applyDoc(admin, {
      reports: [
        { ...twinWithoutAdopt, key: "ambiguous" },
        { ...twin, key: "their-report", adopt: theirs.id },
        { ...twin, key: "no-such", adopt: "00000000-0000-4000-8000-000000000000" },
        { ...twin, key: "renamed", adopt: keyed.id },
        { ...twin, key: "twice-a", adopt: other.id },
        { ...twin, key: "twice-b", adopt: other.id },
      ],
    });
    expectError(res, 400, "validation_failed");
    const details = Object.fromEntries(res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(details).toEqual({
      "reports.0": expect.stringContaining('name the one to take over with "adopt: <id>"'),
      "reports.1.adopt": "No report with this id in your organization",
      "reports.2.adopt": "No report with this id in your organization",
      "reports.3.adopt": 'This report already has the key "kept"',
      "reports.5.adopt": "Another entry adopts this report too",
    });
    expect((await listReports(admin)).map((r) => r.key).sort()).toEqual(["kept", null, null, null]);
    expect((await listReports(stranger))[0]!.key).toBeNull();
  });

  it("holds adoption to the active-report quota as an update, not as a new report", async () => {
    const admin = await newOrganization();
    await setQuotas(admin.organizationId, { activeReports: 2 });
    await createReport(admin, { name: "First" });
    const paused = await createReport(admin, { name: "Second" });
    expect((await api(`/api/scheduled-reports/${paused.id}/pause`, { method: "POST", token: admin.token })).status).toBe(200);
    await createReport(admin, { name: "Third" });
    const doc = await exportDoc(admin);
    // At the limit, taking all three over is no new active report...
    expect((await applyDoc(admin, doc, true)).body.plan.map((s: { action: string }) => s.action)).toEqual(["adopt", "adopt", "adopt"]);
    // ...but resuming the paused one while adopting it would be one too many, and changes nothing.
    const resumed = { reports: doc.reports.map((r) => (r.adopt === paused.id ? { ...r, isActive: true } : r)) };
    const refused = await applyDoc(admin, resumed);
    expectError(refused, 422, "quota_exceeded");
    expect((await listReports(admin)).map((r) => r.key)).toEqual([null, null, null]);
  });
});
