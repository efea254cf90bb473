import { describe, expect, it } from "vitest";
import { hourlySlots, type RunFields, runsByStatus, timeBounds } from "./data.ts";

describe("hourlySlots", () => {
  it("fills the 24 hours up to the current one, oldest first, with the API's rows in place", () => {
    const slots = hourlySlots({
      generatedAt: "2026-11-30T10:42:00.000Z",
      timeline: [
        { hour: "2026-11-30T10:00:00.000Z", completed: 3, failed: 1 },
        { hour: "2026-11-29T11:00:00.000Z", completed: 0, failed: 2 },
      ],
    });
    expect(slots).toHaveLength(24);
    expect(slots[0]).toEqual({ hour: "2026-11-29T11:00:00.000Z", completed: 0, failed: 2, successRate: 0 });
    expect(slots[23]).toEqual({ hour: "2026-11-30T10:00:00.000Z", completed: 3, failed: 1, successRate: 0.75 });
    expect(slots[12]).toEqual({ hour: "2026-11-29T23:00:00.000Z", completed: 0, failed: 0, successRate: null });
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
