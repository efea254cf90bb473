import { describe, expect, it } from "vitest";
import { describeChanges, parseDocument } from "./document.ts";

describe("reading a schedules-as-code document", () => {
  it("reads YAML and JSON alike, with prune only when asked", () => {
    const yaml =
      "reports:\n  - key: backlog\n    name: Backlog\n    reportType: ticket_backlog\n    format: csv\n    schedule: { trigger: event, timezone: UTC }\n";
    const fromYaml = parseDocument(yaml, false);
    expect(fromYaml).toEqual({
      ok: true,
      document: {
        reports: [{ key: "backlog", name: "Backlog", reportType: "ticket_backlog", format: "csv", schedule: { trigger: "event", timezone: "UTC" } }],
      },
    });
    const json = JSON.stringify(fromYaml.ok ? fromYaml.document : null);
    expect(parseDocument(json, true)).toEqual({ ok: true, document: { ...(fromYaml.ok ? fromYaml.document : {}), prune: true } });
  });

  it("says what is wrong with text that is not a document", () => {
    expect(parseDocument("  ", false)).toEqual({ ok: false, error: "Paste or upload a document first." });
    expect(parseDocument("reports: [", false).ok).toBe(false);
    expect(parseDocument("name: Backlog", false)).toEqual({ ok: false, error: "The document needs a “reports” list, as the export has." });
  });

  it("shows each changed field from → to", () => {
    expect(
      describeChanges({ key: "k", action: "update", changes: { name: { from: "Old", to: "New" }, schedule: { from: { cron: "0 9 * * *" }, to: undefined } } }),
    ).toEqual(["name: Old → New", 'schedule: {"cron":"0 9 * * *"} → —']);
    expect(describeChanges({ key: "k", action: "unchanged" })).toEqual([]);
  });
});
