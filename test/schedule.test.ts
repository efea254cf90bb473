import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  isValidTimeZone,
  nextRunAfter,
  nextRuns,
  type PresetSchedule,
  presetToCron,
  runsBetween,
  ScheduleError,
  shortestIntervalMinutes,
  validateCron,
  validatePreset,
} from "../src/lib/schedule";

// Every expected instant below is worked out by hand from the zone's offset on that date:
// New York EST -5 / EDT -4, Berlin CET +1 / CEST +2, Sydney AEST +10 / AEDT +11, Kolkata +5:30.
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (s: string) => new Date(s);

describe("presets", () => {
  it.each<[string, PresetSchedule, string, string, string, string[]]>([
    [
      "hourly default",
      { preset: "hourly" },
      "0 * * * *",
      "UTC",
      "2026-01-01T10:20:00Z",
      ["2026-01-01T11:00:00.000Z", "2026-01-01T12:00:00.000Z", "2026-01-01T13:00:00.000Z"],
    ],
    [
      "hourly at :15",
      { preset: "hourly", minute: 15 },
      "15 * * * *",
      "UTC",
      "2026-01-01T10:20:00Z",
      ["2026-01-01T11:15:00.000Z", "2026-01-01T12:15:00.000Z", "2026-01-01T13:15:00.000Z"],
    ],
    [
      "daily default",
      { preset: "daily" },
      "0 9 * * *",
      "UTC",
      "2026-01-01T09:00:00Z",
      ["2026-01-02T09:00:00.000Z", "2026-01-03T09:00:00.000Z", "2026-01-04T09:00:00.000Z"],
    ],
    [
      "daily 17:30 Berlin winter",
      { preset: "daily", time: "17:30" },
      "30 17 * * *",
      "Europe/Berlin",
      "2026-01-05T00:00:00Z",
      ["2026-01-05T16:30:00.000Z", "2026-01-06T16:30:00.000Z", "2026-01-07T16:30:00.000Z"],
    ],
    // 2026-01-09 is a Friday, so the weekday schedule skips to Monday the 12th.
    [
      "daily on weekdays",
      { preset: "daily", daysOfWeek: [5, 1, 2, 3, 4] },
      "0 9 * * 1-5",
      "UTC",
      "2026-01-09T09:00:00Z",
      ["2026-01-12T09:00:00.000Z", "2026-01-13T09:00:00.000Z", "2026-01-14T09:00:00.000Z"],
    ],
    [
      "weekly default (Monday)",
      { preset: "weekly" },
      "0 9 * * 1",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-05T09:00:00.000Z", "2026-01-12T09:00:00.000Z", "2026-01-19T09:00:00.000Z"],
    ],
    // 2026-01-01 is a Thursday.
    [
      "weekly Mon/Wed/Fri",
      { preset: "weekly", time: "08:15", daysOfWeek: [5, 1, 3, 3] },
      "15 8 * * 1,3,5",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-02T08:15:00.000Z", "2026-01-05T08:15:00.000Z", "2026-01-07T08:15:00.000Z"],
    ],
    [
      "weekly weekend",
      { preset: "weekly", daysOfWeek: [6, 0] },
      "0 9 * * 0,6",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-03T09:00:00.000Z", "2026-01-04T09:00:00.000Z", "2026-01-10T09:00:00.000Z"],
    ],
    [
      "monthly day 1 Kolkata",
      { preset: "monthly", time: "06:30" },
      "30 6 1 * *",
      "Asia/Kolkata",
      "2026-01-15T00:00:00Z",
      ["2026-02-01T01:00:00.000Z", "2026-03-01T01:00:00.000Z", "2026-04-01T01:00:00.000Z"],
    ],
    [
      "monthly day 15",
      { preset: "monthly", dayOfMonth: 15 },
      "0 9 15 * *",
      "UTC",
      "2026-01-15T09:00:00Z",
      ["2026-02-15T09:00:00.000Z", "2026-03-15T09:00:00.000Z", "2026-04-15T09:00:00.000Z"],
    ],
    [
      "monthly last, leap 2028",
      { preset: "monthly", dayOfMonth: "last" },
      "0 9 L * *",
      "UTC",
      "2028-01-15T00:00:00Z",
      ["2028-01-31T09:00:00.000Z", "2028-02-29T09:00:00.000Z", "2028-03-31T09:00:00.000Z"],
    ],
    [
      "monthly last, non-leap 2027",
      { preset: "monthly", dayOfMonth: "last", time: "23:45" },
      "45 23 L * *",
      "UTC",
      "2027-01-15T00:00:00Z",
      ["2027-01-31T23:45:00.000Z", "2027-02-28T23:45:00.000Z", "2027-03-31T23:45:00.000Z"],
    ],
  ])("%s", (_name, preset, cron, tz, after, expected) => {
    expect(validatePreset(preset)).toBeNull();
    expect(presetToCron(preset)).toBe(cron);
    expect(iso(nextRuns(cron, tz, at(after), 3))).toEqual(expected);
  });

  it.each<[string, PresetSchedule, RegExp]>([
    ["hour 25", { preset: "daily", time: "25:00" }, /time must be "HH:MM"/],
    ["single-digit hour (rejected: one spelling only)", { preset: "daily", time: "9:00" }, /time must be "HH:MM"/],
    ["minute 60 in time", { preset: "weekly", time: "09:60" }, /time/],
    ["hourly minute 60", { preset: "hourly", minute: 60 }, /minute must be/],
    ["hourly fractional minute", { preset: "hourly", minute: 1.5 }, /minute must be/],
    ["weekday 7", { preset: "weekly", daysOfWeek: [7] }, /0 \(Sunday\) to 6 \(Saturday\)/],
    ["weekday -1", { preset: "daily", daysOfWeek: [1, -1] }, /0 \(Sunday\) to 6 \(Saturday\)/],
    ["no weekdays", { preset: "weekly", daysOfWeek: [] }, /at least one day/],
    ["day 31", { preset: "monthly", dayOfMonth: 31 }, /not in every month.*"last"/],
    ["day 29", { preset: "monthly", dayOfMonth: 29 }, /not in every month.*"last"/],
    ["day 0", { preset: "monthly", dayOfMonth: 0 }, /1 to 28, or "last"/],
    ["unknown preset", { preset: "yearly" as never }, /preset must be one of/],
  ])("rejects %s", (_name, preset, message) => {
    expect(validatePreset(preset)).toMatch(message);
    expect(() => presetToCron(preset)).toThrow(ScheduleError);
  });
});

describe("validateCron", () => {
  it.each(["*/15 * * * *", "0 9 * * 1-5", "0 0 1 * *", "  0   9 * * * ", "0 9 L * *", "0 0 29 2 *"])("accepts %j", (expr) => {
    expect(validateCron(expr)).toBeNull();
  });

  it.each([
    ["", /empty/],
    ["* * * *", /exactly five fields/],
    ["0 0 * * * *", /exactly five fields/],
    ["0 0 * * * * 2030", /exactly five fields/],
    ["@daily", /exactly five fields/],
    ["hello", /exactly five fields/],
    ["61 * * * *", /Invalid cron expression/],
    ["0 24 * * *", /Invalid cron expression/],
    ["a b c d e", /Invalid cron expression/],
    ["0 0 30 2 *", /never runs/],
  ])("rejects %j", (expr, message) => {
    expect(validateCron(expr)).toMatch(message);
  });
});

describe("isValidTimeZone", () => {
  it.each([
    ["UTC", true],
    ["Europe/Berlin", true],
    ["America/New_York", true],
    ["Asia/Kolkata", true],
    ["Australia/Sydney", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Etc/GMT+5", true],
    ["", false],
    ["Mars/Base", false],
    ["+02:00", false],
    ["-05:00", false],
    ["Europe/Berlin ", false],
    ["../etc", false],
  ])("%j → %s", (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });

  it("refuses to schedule in an unknown zone", () => {
    expect(() => nextRunAfter("0 9 * * *", "Mars/Base", at("2026-01-01T00:00:00Z"))).toThrow(ScheduleError);
  });
});

describe("daylight saving", () => {
  it.each([
    [
      "New York spring forward",
      "0 9 * * *",
      "America/New_York",
      "2026-03-06T15:00:00Z",
      ["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"],
    ],
    [
      "New York fall back",
      "0 9 * * *",
      "America/New_York",
      "2026-10-30T15:00:00Z",
      ["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"],
    ],
    [
      "Berlin spring forward",
      "0 9 * * *",
      "Europe/Berlin",
      "2026-03-27T12:00:00Z",
      ["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
    ],
    [
      "Berlin fall back",
      "0 9 * * *",
      "Europe/Berlin",
      "2026-10-23T12:00:00Z",
      ["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"],
    ],
    [
      "Sydney fall back (April)",
      "0 9 * * *",
      "Australia/Sydney",
      "2026-04-03T12:00:00Z",
      ["2026-04-03T22:00:00.000Z", "2026-04-04T23:00:00.000Z", "2026-04-05T23:00:00.000Z"],
    ],
    [
      "Sydney spring forward (October)",
      "0 9 * * *",
      "Australia/Sydney",
      "2026-10-02T12:00:00Z",
      ["2026-10-02T23:00:00.000Z", "2026-10-03T22:00:00.000Z", "2026-10-04T22:00:00.000Z"],
    ],
    [
      "Kolkata half-hour offset, no DST",
      "0 9 * * *",
      "Asia/Kolkata",
      "2026-03-07T00:00:00Z",
      ["2026-03-07T03:30:00.000Z", "2026-03-08T03:30:00.000Z", "2026-03-09T03:30:00.000Z"],
    ],
    [
      "weekly Monday across New York spring forward",
      "0 9 * * 1",
      "America/New_York",
      "2026-02-25T00:00:00Z",
      ["2026-03-02T14:00:00.000Z", "2026-03-09T13:00:00.000Z", "2026-03-16T13:00:00.000Z"],
    ],
    // 02:30 does not exist on 8 March: it runs once at 03:00 EDT, then normally.
    [
      "New York 02:30 in the gap",
      "30 2 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z", "2026-03-10T06:30:00.000Z"],
    ],
    [
      "Berlin 02:30 in the gap",
      "30 2 * * *",
      "Europe/Berlin",
      "2026-03-28T12:00:00Z",
      ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"],
    ],
    [
      "Sydney 02:30 in the gap",
      "30 2 * * *",
      "Australia/Sydney",
      "2026-10-03T00:00:00Z",
      ["2026-10-03T16:00:00.000Z", "2026-10-04T15:30:00.000Z", "2026-10-05T15:30:00.000Z"],
    ],
    // A list of fixed times is still fixed-time: the gap time is moved, not dropped.
    [
      "New York 02:30 and 14:30 list",
      "30 2,14 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-07T19:30:00.000Z", "2026-03-08T07:00:00.000Z", "2026-03-08T18:30:00.000Z"],
    ],
    // 01:30 happens twice on 1 November: only the first (EDT) occurrence runs.
    [
      "New York 01:30 repeated",
      "30 1 * * *",
      "America/New_York",
      "2026-10-31T12:00:00Z",
      ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z", "2026-11-03T06:30:00.000Z"],
    ],
    [
      "Sydney 02:30 repeated",
      "30 2 * * *",
      "Australia/Sydney",
      "2026-04-04T00:00:00Z",
      ["2026-04-04T15:30:00.000Z", "2026-04-05T16:30:00.000Z", "2026-04-06T16:30:00.000Z"],
    ],
  ])("%s", (_name, cron, tz, after, expected) => {
    expect(iso(nextRuns(cron, tz, at(after), 3))).toEqual(expected);
  });

  it("runs a repeated local time exactly once that day, also in catch-up", () => {
    // Local 1 Nov 00:00 EDT (04:00Z) to 2 Nov 00:00 EST (05:00Z).
    const day = runsBetween("30 1 * * *", "America/New_York", at("2026-11-01T04:00:00Z"), at("2026-11-02T05:00:00Z"), 10);
    expect(iso(day)).toEqual(["2026-11-01T05:30:00.000Z"]);
  });

  // Choice: hourly schedules follow real hours, so the repeated 01:xx hour gets two runs and the
  // skipped 02:xx hour none; every real hour still has exactly one report.
  it.each([
    [
      "fall back: local 01:15 runs in EDT and again in EST",
      "2026-11-01T03:00:00Z",
      "2026-11-01T08:00:00Z",
      ["2026-11-01T03:15:00.000Z", "2026-11-01T04:15:00.000Z", "2026-11-01T05:15:00.000Z", "2026-11-01T06:15:00.000Z", "2026-11-01T07:15:00.000Z"],
    ],
    [
      "spring forward: no local 02:15, no real hour missed",
      "2026-03-08T05:00:00Z",
      "2026-03-08T09:00:00Z",
      ["2026-03-08T05:15:00.000Z", "2026-03-08T06:15:00.000Z", "2026-03-08T07:15:00.000Z", "2026-03-08T08:15:00.000Z"],
    ],
  ])("hourly in New York, %s", (_name, from, until, expected) => {
    expect(iso(runsBetween("15 * * * *", "America/New_York", at(from), at(until), 50))).toEqual(expected);
    expect(iso(nextRuns("15 * * * *", "America/New_York", at(from), expected.length))).toEqual(expected);
  });
});

describe("nextRunAfter and bounds", () => {
  const daily = "0 9 * * *";
  it.each([
    ["after is itself a run time", "2026-01-01T09:00:00.000Z", "2026-01-02T09:00:00.000Z"],
    ["just before a run", "2026-01-01T08:59:59.999Z", "2026-01-01T09:00:00.000Z"],
    ["just after a run", "2026-01-01T09:00:00.001Z", "2026-01-02T09:00:00.000Z"],
  ])("is exclusive: %s", (_name, after, expected) => {
    expect(nextRunAfter(daily, "UTC", at(after))?.toISOString()).toBe(expected);
  });

  it("lands on whole minutes", () => {
    for (const run of nextRuns("*/7 * * * *", "Asia/Kolkata", at("2026-01-01T00:00:13.456Z"), 50)) {
      expect(run.getUTCSeconds() + run.getUTCMilliseconds()).toBe(0);
    }
  });

  it.each([
    ["startAt is inclusive", { startAt: at("2026-01-05T09:00:00Z") }, "2026-01-05T09:00:00.000Z"],
    ["startAt a second late skips that day", { startAt: at("2026-01-05T09:00:01Z") }, "2026-01-06T09:00:00.000Z"],
    ["startAt in the past changes nothing", { startAt: at("2025-06-01T00:00:00Z") }, "2026-01-01T09:00:00.000Z"],
    ["endAt is inclusive", { endAt: at("2026-01-01T09:00:00Z") }, "2026-01-01T09:00:00.000Z"],
    ["endAt before the next run", { endAt: at("2026-01-01T08:59:00Z") }, null],
    ["null bounds", { startAt: null, endAt: null }, "2026-01-01T09:00:00.000Z"],
  ])("%s", (_name, bounds, expected) => {
    expect(nextRunAfter(daily, "UTC", at("2026-01-01T08:00:00Z"), bounds)?.toISOString() ?? null).toBe(expected);
  });

  it("stops nextRuns at endAt", () => {
    const runs = nextRuns(daily, "UTC", at("2026-01-01T10:00:00Z"), 5, { endAt: at("2026-01-03T09:00:00Z") });
    expect(iso(runs)).toEqual(["2026-01-02T09:00:00.000Z", "2026-01-03T09:00:00.000Z"]);
  });

  it("uses OR when both day-of-month and day-of-week are set (Vixie cron)", () => {
    // 1 Feb 2026 is a Sunday: it runs as "the 1st"; the Mondays run as Mondays.
    expect(iso(nextRuns("0 9 1 * 1", "UTC", at("2026-01-25T00:00:00Z"), 3))).toEqual([
      "2026-01-26T09:00:00.000Z",
      "2026-02-01T09:00:00.000Z",
      "2026-02-02T09:00:00.000Z",
    ]);
  });

  it("gives 50 runs of a daily schedule, 50 days apart in total", () => {
    const runs = nextRuns(daily, "UTC", at("2026-01-01T00:00:00Z"), 50);
    expect(runs).toHaveLength(50);
    expect(runs.at(-1)?.toISOString()).toBe("2026-02-19T09:00:00.000Z");
  });

  it("returns nothing, quickly, for a cron that never matches", () => {
    const never = "0 0 30 2 *";
    const after = at("2026-01-01T00:00:00Z");
    expect(nextRunAfter(never, "UTC", after)).toBeNull();
    expect(nextRuns(never, "Europe/Berlin", after, 50)).toEqual([]);
    expect(runsBetween(never, "UTC", at("2020-01-01T00:00:00Z"), after, 10)).toEqual([]);
  });

  it("throws ScheduleError for a malformed cron", () => {
    expect(() => nextRuns("61 * * * *", "UTC", at("2026-01-01T00:00:00Z"), 1)).toThrow(ScheduleError);
  });
});

describe("runsBetween (catch-up)", () => {
  const hourly = "0 * * * *";
  const from = at("2026-01-01T00:00:00Z");
  const until = at("2026-01-01T10:00:00Z");

  it("returns all missed runs, oldest first, excluding the start and including the end", () => {
    const runs = runsBetween(hourly, "UTC", from, until, 50);
    expect(runs).toHaveLength(10);
    expect(runs[0]?.toISOString()).toBe("2026-01-01T01:00:00.000Z");
    expect(runs.at(-1)?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
  });

  it.each([
    ["keeps the latest `cap` when more were missed", 3, {}, ["2026-01-01T08:00:00.000Z", "2026-01-01T09:00:00.000Z", "2026-01-01T10:00:00.000Z"]],
    ["respects startAt", 5, { startAt: at("2026-01-01T09:00:00Z") }, ["2026-01-01T09:00:00.000Z", "2026-01-01T10:00:00.000Z"]],
    ["respects endAt", 3, { endAt: at("2026-01-01T09:30:00Z") }, ["2026-01-01T07:00:00.000Z", "2026-01-01T08:00:00.000Z", "2026-01-01T09:00:00.000Z"]],
    ["empty when the window is empty", 3, { endAt: at("2025-12-31T00:00:00Z") }, []],
  ])("%s", (_name, cap, bounds, expected) => {
    expect(iso(runsBetween(hourly, "UTC", from, until, cap, bounds))).toEqual(expected);
  });

  it("keeps the latest runs across a long outage without walking the whole gap", () => {
    const runs = runsBetween("* * * * *", "UTC", at("2020-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"), 2);
    expect(iso(runs)).toEqual(["2025-12-31T23:59:00.000Z", "2026-01-01T00:00:00.000Z"]);
  });
});

describe("describeSchedule", () => {
  it.each<[PresetSchedule | string, string, string]>([
    [{ preset: "hourly", minute: 15 }, "UTC", "Every hour at minute 15 (UTC)"],
    [{ preset: "daily" }, "Europe/Berlin", "Every day at 09:00 (Europe/Berlin)"],
    [{ preset: "daily", daysOfWeek: [1, 2, 3, 4, 5] }, "America/New_York", "Monday to Friday at 09:00 (America/New_York)"],
    [{ preset: "weekly" }, "Europe/Berlin", "Every Monday at 09:00 (Europe/Berlin)"],
    [{ preset: "weekly", time: "08:15", daysOfWeek: [1, 3, 5] }, "UTC", "Every Monday, Wednesday and Friday at 08:15 (UTC)"],
    [{ preset: "weekly", daysOfWeek: [0, 6] }, "UTC", "Every Saturday and Sunday at 09:00 (UTC)"],
    [{ preset: "monthly", time: "06:30" }, "Asia/Kolkata", "On day 1 of every month at 06:30 (Asia/Kolkata)"],
    [{ preset: "monthly", dayOfMonth: "last", time: "23:45" }, "UTC", "On the last day of every month at 23:45 (UTC)"],
    ["0 9 * * 0-6", "UTC", "Every day at 09:00 (UTC)"],
    ["0 18 * * 5-7", "UTC", "Friday to Sunday at 18:00 (UTC)"],
    ["1,2 3 * * *", "UTC", "Cron 1,2 3 * * * (UTC)"],
    ["*/15 * * * *", "Europe/Berlin", "Cron */15 * * * * (Europe/Berlin)"],
    ["0 9 1 * 1", "UTC", "Cron 0 9 1 * 1 (UTC)"],
    ["0 9 * 1 *", "UTC", "Cron 0 9 * 1 * (UTC)"],
  ])("%j in %s", (schedule, tz, expected) => {
    const cron = typeof schedule === "string" ? schedule : presetToCron(schedule);
    expect(describeSchedule(cron, tz)).toBe(expected);
  });
});

describe("shortestIntervalMinutes (the schedule interval quota)", () => {
  it.each([
    ["* * * * *", 1],
    ["*/2 * * * *", 2],
    ["*/4 * * * *", 4],
    ["*/5 * * * *", 5],
    ["0,30 * * * *", 30],
    // Across an hour boundary: :58 then :01 of the next hour.
    ["1,58 * * * *", 3],
    ["0-4 9 1 1 *", 1],
    ["*/10 9-17 * * 1-5", 10],
    // Hourly presets at any minute are an hour apart, whenever the question is asked.
    [presetToCron({ preset: "hourly", minute: 59 }), 60],
    [presetToCron({ preset: "hourly", minute: 0 }), 60],
    [presetToCron({ preset: "hourly" }), 60],
    [presetToCron({ preset: "daily", time: "23:59" }), 1440],
    [presetToCron({ preset: "monthly", dayOfMonth: "last" }), 1440],
    // Across midnight: 23:59 then 00:00, only when two consecutive days fire.
    ["0,59 0,23 * * *", 1],
    ["0,59 0,23 * * 1,2", 1],
    ["0,59 0,23 * * 1", 59],
    ["0,57 0,23 31,1 12,1 *", 3],
    ["0,57 0,23 15 * *", 57],
    ["0 9 * * 1", 1440],
  ])("%s runs at least %i minutes apart", (cron, minutes) => {
    expect(shortestIntervalMinutes(cron)).toBe(minutes);
  });

  it("agrees with the run times croner gives, for the schedules people write", () => {
    for (const cron of ["*/3 * * * *", "5,7 */2 * * *", "58 23 * * *", "0,58 0,23 * * 6,0", "15,45 8-18 * * 1-5"]) {
      const runs = nextRuns(cron, "UTC", at("2031-03-01T00:00:00Z"), 3000).map((d) => d.getTime());
      const gaps = runs.slice(1).map((t, i) => (t - runs[i]!) / 60_000);
      expect(shortestIntervalMinutes(cron), cron).toBe(Math.min(...gaps));
    }
  });
});
