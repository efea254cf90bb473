import { describe, expect, it } from "vitest";
import { type DueReport, planRuns } from "../src/jobs/schedule/plan-runs";

const opts = { graceMs: 5 * 60_000, cap: 3 };
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const hourly = (catchUp: DueReport["catchUp"], nextRunAt: string): DueReport => ({
  cron: "0 * * * *",
  timezone: "UTC",
  catchUp,
  startAt: null,
  endAt: null,
  nextRunAt: new Date(nextRunAt),
});

describe("planRuns", () => {
  it.each(["skip", "latest", "all"] as const)("runs the one due time on an on-time tick (%s)", (policy) => {
    const plan = planRuns(hourly(policy, "2026-11-28T09:00:00Z"), new Date("2026-11-28T09:00:00Z"), opts);
    expect(iso(plan.runs)).toEqual(["2026-11-28T09:00:00.000Z"]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-11-28T10:00:00.000Z");
  });

  it("treats a run a few minutes late as on time even with skip", () => {
    const plan = planRuns(hourly("skip", "2026-11-28T09:00:00Z"), new Date("2026-11-28T09:04:00Z"), opts);
    expect(iso(plan.runs)).toEqual(["2026-11-28T09:00:00.000Z"]);
  });

  describe("after five hours down (due 04:00, back at 09:30)", () => {
    const now = new Date("2026-11-28T09:30:00Z");
    it("skip runs nothing and moves on", () => {
      const plan = planRuns(hourly("skip", "2026-11-28T04:00:00Z"), now, opts);
      expect(plan.runs).toEqual([]);
      expect(plan.lastDue?.toISOString()).toBe("2026-11-28T09:00:00.000Z");
      expect(plan.nextRunAt?.toISOString()).toBe("2026-11-28T10:00:00.000Z");
    });
    it("latest runs once, for the latest missed time", () => {
      expect(iso(planRuns(hourly("latest", "2026-11-28T04:00:00Z"), now, opts).runs)).toEqual(["2026-11-28T09:00:00.000Z"]);
    });
    it("all runs the latest missed times up to the cap, oldest first", () => {
      expect(iso(planRuns(hourly("all", "2026-11-28T04:00:00Z"), now, opts).runs)).toEqual([
        "2026-11-28T07:00:00.000Z",
        "2026-11-28T08:00:00.000Z",
        "2026-11-28T09:00:00.000Z",
      ]);
      expect(iso(planRuns(hourly("all", "2026-11-28T04:00:00Z"), now, { ...opts, cap: 10 }).runs)).toHaveLength(6);
    });
  });

  it("stops at endAt", () => {
    const report = { ...hourly("all", "2026-11-28T07:00:00Z"), endAt: new Date("2026-11-28T08:00:00Z") };
    const plan = planRuns(report, new Date("2026-11-28T09:30:00Z"), opts);
    expect(iso(plan.runs)).toEqual(["2026-11-28T07:00:00.000Z", "2026-11-28T08:00:00.000Z"]);
    expect(plan.nextRunAt).toBeNull();
  });

  it("keeps the local time across a DST change while catching up", () => {
    // 09:00 in New York: 14:00Z on Saturday 7 March 2026 (EST), 13:00Z on Sunday 8 March (EDT).
    const report: DueReport = {
      cron: "0 9 * * *",
      timezone: "America/New_York",
      catchUp: "all",
      startAt: null,
      endAt: null,
      nextRunAt: new Date("2026-03-07T14:00:00Z"),
    };
    const plan = planRuns(report, new Date("2026-03-08T15:00:00Z"), opts);
    expect(iso(plan.runs)).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z"]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-09T13:00:00.000Z");
  });
});
