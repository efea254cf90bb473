import { describe, expect, it } from "vitest";
import type { ScheduledReport } from "../api.ts";
import { describeDeliverWhen } from "../delivery/deliver-when.ts";
import { thresholdFromInput } from "./delivery-draft.svelte.ts";
import { ReportDraft } from "./draft.svelte.ts";

const loaded: ScheduledReport = {
  id: "r1",
  name: "Big orders",
  key: null,
  reportType: "order_details",
  parameters: { dateRange: "last_7_days" },
  format: "csv",
  schedule: {
    cron: "0 9 * * *",
    preset: "daily",
    time: "09:00",
    timezone: "UTC",
    startAt: null,
    endAt: null,
    catchUp: "latest",
    description: "Every day at 09:00",
  },
  recipients: [{ type: "email", value: "ops@example.com" }],
  compress: false,
  deliverWhen: { mode: "ifThreshold", column: "amount", operator: ">=", value: 1000 },
  emptyResult: "deliver",
  triggerParameters: [],
  isActive: true,
  nextRunAt: null,
  lastRunAt: null,
  createdBy: "u1",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

describe("the delivery condition and key of a loaded report", () => {
  it("changes nothing when untouched, nor after switching the mode away and back", () => {
    const draft = new ReportDraft(loaded);
    expect(draft.changes).toEqual({});
    draft.delivery.mode = "always";
    expect(draft.changes).toEqual({ deliverWhen: { mode: "always" } });
    draft.delivery.mode = "ifThreshold";
    expect(draft.changes).toEqual({});
  });

  it("sends the whole condition when one threshold field changes", () => {
    const draft = new ReportDraft(loaded);
    draft.delivery.threshold = 500;
    expect(draft.changes).toEqual({ deliverWhen: { mode: "ifThreshold", column: "amount", operator: ">=", value: 500 } });
  });

  it("sends keepFile only when it is not the default, unless it was stored", () => {
    const draft = new ReportDraft({ ...loaded, deliverWhen: { mode: "ifChanged" } });
    draft.delivery.keepFile = false;
    expect(draft.changes).toEqual({ deliverWhen: { mode: "ifChanged", keepFile: false } });
    draft.delivery.keepFile = true;
    expect(draft.changes).toEqual({});
    const stored = new ReportDraft({ ...loaded, deliverWhen: { mode: "ifResults", keepFile: true } });
    expect(stored.changes).toEqual({});
    stored.delivery.mode = "ifChanged";
    expect(stored.changes).toEqual({ deliverWhen: { mode: "ifChanged", keepFile: true } });
  });

  it("sets, keeps and clears the key", () => {
    const draft = new ReportDraft(loaded);
    draft.key = " big-orders ";
    expect(draft.changes).toEqual({ key: "big-orders" });
    const keyed = new ReportDraft({ ...loaded, key: "big-orders" });
    expect(keyed.changes).toEqual({});
    keyed.key = "";
    expect(keyed.changes).toEqual({ key: null });
  });
});

describe("a new report's delivery condition", () => {
  it("is sent as chosen, without a key when none is given", () => {
    const draft = new ReportDraft();
    draft.name = "Changes";
    draft.reportType = "ticket_backlog";
    expect(draft.createBody().deliverWhen).toEqual({ mode: "always" });
    expect("key" in draft.createBody()).toBe(false);
    draft.delivery.mode = "ifChanged";
    draft.key = "changes";
    expect(draft.createBody()).toMatchObject({ key: "changes", deliverWhen: { mode: "ifChanged" } });
  });
});

describe("in words", () => {
  it("reads each condition", () => {
    expect(describeDeliverWhen({ mode: "always" })).toBe("Delivered after every run.");
    expect(describeDeliverWhen({ mode: "ifChanged" })).toBe(
      "Delivered only when the result differs from the last delivered run. Runs that deliver nothing keep their file.",
    );
    expect(describeDeliverWhen({ mode: "ifThreshold", column: "region", operator: "!=", value: "EU", keepFile: false })).toBe(
      "Delivered only when some row's region is not “EU”. Runs that deliver nothing do not keep their file.",
    );
  });

  it("reads a typed threshold as a number for numeric or unknown columns only", () => {
    expect(thresholdFromInput("12.5", true)).toBe(12.5);
    expect(thresholdFromInput("12", undefined)).toBe(12);
    expect(thresholdFromInput("12", false)).toBe("12");
    expect(thresholdFromInput("EU", undefined)).toBe("EU");
    expect(thresholdFromInput("", true)).toBe("");
  });
});
