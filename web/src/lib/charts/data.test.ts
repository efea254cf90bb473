import { describe, expect, it } from "vitest";
import { deliveryBars, durationLines, type RunFields, rangeOf, runsByStatus, seriesSlots, slotLabel, slotTime, timeBounds } from "./data.ts";

describe("rangeOf", () => {
  it("reads the URL's range, and falls back to the last 24 hours for none or one it does not know", () => {
    expect(rangeOf("7d")).toEqual({ value: "7d", label: "7 days", days: 7 });
    expect(rangeOf("30d").days).toBe(30);
    expect(rangeOf(null).days).toBe(1);
    expect(rangeOf("365d").days).toBe(1);
  });
});

describe("seriesSlots", () => {
  it("fills every hour from the window's start to the current one, oldest first, with the API's rows in place", () => {
    const slots = seriesSlots({
      from: "2026-11-29T10:00:00.000Z",
      to: "2026-11-30T10:42:00.000Z",
      step: "hour",
      runs: [
        { at: "2026-11-30T10:00:00.000Z", completed: 3, failed: 1 },
        { at: "2026-11-29T11:00:00.000Z", completed: 0, failed: 2 },
      ],
    });
    expect(slots).toHaveLength(25);
    expect(slots[0]).toEqual({ at: "2026-11-29T10:00:00.000Z", completed: 0, failed: 0, successRate: null });
    expect(slots[1]).toEqual({ at: "2026-11-29T11:00:00.000Z", completed: 0, failed: 2, successRate: 0 });
    expect(slots[24]).toEqual({ at: "2026-11-30T10:00:00.000Z", completed: 3, failed: 1, successRate: 0.75 });
  });

  it("steps by UTC day, leaving a gap (no success rate) on days without finished runs", () => {
    const slots = seriesSlots({
      from: "2026-10-31T00:00:00.000Z",
      to: "2026-11-30T10:42:00.000Z",
      step: "day",
      runs: [{ at: "2026-11-02T00:00:00.000Z", completed: 4, failed: 0 }],
    });
    expect(slots).toHaveLength(31);
    expect(slots.at(-1)?.at).toBe("2026-11-30T00:00:00.000Z");
    expect(slots.map((s) => s.successRate).slice(0, 4)).toEqual([null, null, 1, null]);
  });
});

const hours = ["2026-11-30T08:00:00.000Z", "2026-11-30T09:00:00.000Z", "2026-11-30T10:00:00.000Z"].map((at) => ({ at }));

describe("durationLines", () => {
  it("gives each report type, in name order, its p50 and p95 at every slot and null where it did not run", () => {
    const lines = durationLines(
      {
        durations: [
          { at: "2026-11-30T08:00:00.000Z", reportType: "sales_summary", count: 2, p50: 1200, p95: 3400 },
          { at: "2026-11-30T10:00:00.000Z", reportType: "sales_summary", count: 1, p50: 900, p95: 900 },
          { at: "2026-11-30T09:00:00.000Z", reportType: "billing_revenue", count: 5, p50: 40, p95: 88 },
        ],
      },
      hours,
    );
    expect(lines).toEqual([
      { reportType: "billing_revenue", p50: [null, 40, null], p95: [null, 88, null] },
      { reportType: "sales_summary", p50: [1200, null, 900], p95: [3400, null, 900] },
    ]);
  });
});

describe("deliveryBars", () => {
  it("counts the deliveries sent per channel in the given channel order, and those that failed or bounced across channels", () => {
    const bars = deliveryBars(
      {
        deliveries: [
          { at: "2026-11-30T08:00:00.000Z", channel: "webhook", sent: 1, failed: 1, bounced: 0 },
          { at: "2026-11-30T08:00:00.000Z", channel: "email", sent: 5, failed: 0, bounced: 2 },
          { at: "2026-11-30T10:00:00.000Z", channel: "carrier_pigeon", sent: 1, failed: 0, bounced: 0 },
          { at: "2026-11-30T10:00:00.000Z", channel: "email", sent: 3, failed: 0, bounced: 0 },
        ],
      },
      hours,
      ["email", "slack", "teams", "webhook"],
    );
    expect(bars).toEqual({
      sent: [
        { channel: "email", counts: [5, 0, 3] },
        { channel: "webhook", counts: [1, 0, 0] },
        { channel: "carrier_pigeon", counts: [0, 0, 1] },
      ],
      notDelivered: [3, 0, 0],
    });
  });
});

describe("slotLabel and slotTime", () => {
  it("labels an hour by its time for a day's window, by day and time for a week's, and a UTC day by its date", () => {
    expect(slotLabel("2026-11-30T08:00:00.000Z", "hour", 1, "Europe/Berlin")).toBe("09:00");
    expect(slotLabel("2026-11-30T08:00:00.000Z", "hour", 7, "Europe/Berlin")).toBe("30 Nov, 09:00");
    // A UTC day keeps its date on a clock behind UTC.
    expect(slotLabel("2026-11-30T00:00:00.000Z", "day", 30, "America/New_York")).toBe("30 Nov");
    expect(slotTime("2026-11-30T00:00:00.000Z", "day", "America/New_York")).toBe("30 Nov (UTC)");
    expect(slotTime("2026-11-30T08:00:00.000Z", "hour", "Europe/Berlin")).toBe("Mon 30 Nov, 09:00 CET");
  });
});

describe("runsByStatus", () => {
  const run = (id: string, scheduledFor: string, status: RunFields["status"], durationMs: number | null): RunFields => ({
    id,
    scheduledFor,
    status,
    durationMs,
  });
  it("groups the runs by status, oldest first, durations in seconds", () => {
    const groups = runsByStatus([
      run("b", "2026-11-30T10:00:00Z", "completed", 1500),
      run("a", "2026-11-30T09:00:00Z", "completed", 500),
      run("c", "2026-11-30T11:00:00Z", "skipped", null),
    ]);
    expect(groups.completed.map((p) => [p.id, p.y])).toEqual([
      ["a", 0.5],
      ["b", 1.5],
    ]);
    expect(groups.skipped).toEqual([{ id: "c", x: Date.parse("2026-11-30T11:00:00Z"), y: 0 }]);
    expect(groups.failed).toEqual([]);
  });
});

describe("timeBounds", () => {
  it("centres a single run in an hour and pads a span by 5% each side", () => {
    expect(timeBounds([{ x: 10 * 3_600_000 }])).toEqual({ min: 9.5 * 3_600_000, max: 10.5 * 3_600_000 });
    expect(timeBounds([{ x: 0 }, { x: 100 * 3_600_000 }])).toEqual({ min: -5 * 3_600_000, max: 105 * 3_600_000 });
    expect(timeBounds([])).toBeUndefined();
  });
});
