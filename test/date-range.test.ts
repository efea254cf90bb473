import { describe, expect, it } from "vitest";
import { type DateRangeOption, dateRangeSchema, resolveDateRange } from "../src/reports/date-range";

const resolve = (dateRange: DateRangeOption, now: string, timezone = "UTC") => {
  const { from, to } = resolveDateRange({ dateRange }, new Date(now), timezone);
  return [from, to];
};

describe("resolveDateRange", () => {
  const now = "2026-11-28T12:00:00Z";

  it.each<[DateRangeOption, string, string]>([
    ["today", "2026-11-28", "2026-11-28"],
    ["yesterday", "2026-11-27", "2026-11-27"],
    ["last_7_days", "2026-11-21", "2026-11-27"],
    ["last_30_days", "2026-10-29", "2026-11-27"],
    ["last_month", "2026-10-01", "2026-10-31"],
    ["month_to_date", "2026-11-01", "2026-11-28"],
    ["last_quarter", "2026-07-01", "2026-09-30"],
    ["year_to_date", "2026-01-01", "2026-11-28"],
  ])("%s is %s to %s", (range, from, to) => {
    expect(resolve(range, now)).toEqual([from, to]);
  });

  it("passes a custom range through", () => {
    const r = resolveDateRange({ dateRange: "custom", from: "2025-02-03", to: "2025-03-04" }, new Date(now), "UTC");
    expect(r).toEqual({ from: "2025-02-03", to: "2025-03-04", label: "2025-02-03 to 2025-03-04" });
  });

  it("labels the range in words with its dates", () => {
    expect(resolveDateRange({ dateRange: "last_7_days" }, new Date(now), "UTC").label).toBe("Last 7 days (2026-11-21 to 2026-11-27)");
    expect(resolveDateRange({ dateRange: "today" }, new Date(now), "UTC").label).toBe("Today (2026-11-28)");
  });

  it.each(["Asia/Kolkata", "Australia/Sydney"])("uses the calendar of %s, where it is already tomorrow", (tz) => {
    const late = "2026-11-28T23:30:00Z";
    expect(resolve("today", late, tz)).toEqual(["2026-11-29", "2026-11-29"]);
    expect(resolve("last_7_days", late, tz)).toEqual(["2026-11-22", "2026-11-28"]);
    expect(resolve("month_to_date", late, tz)).toEqual(["2026-11-01", "2026-11-29"]);
    expect(resolve("today", late, "UTC")).toEqual(["2026-11-28", "2026-11-28"]);
  });

  it("uses the calendar of a zone that is still yesterday", () => {
    expect(resolve("today", "2026-12-01T05:00:00Z", "America/Los_Angeles")).toEqual(["2026-11-30", "2026-11-30"]);
    expect(resolve("last_month", "2026-12-01T05:00:00Z", "America/Los_Angeles")).toEqual(["2026-10-01", "2026-10-31"]);
  });

  it("crosses into the previous year in January", () => {
    const jan = "2026-01-15T10:00:00Z";
    expect(resolve("last_month", jan)).toEqual(["2025-12-01", "2025-12-31"]);
    expect(resolve("last_quarter", jan)).toEqual(["2025-10-01", "2025-12-31"]);
    expect(resolve("year_to_date", jan)).toEqual(["2026-01-01", "2026-01-15"]);
    expect(resolve("last_30_days", "2026-01-05T10:00:00Z")).toEqual(["2025-12-06", "2026-01-04"]);
    expect(resolve("yesterday", "2026-01-01T10:00:00Z")).toEqual(["2025-12-31", "2025-12-31"]);
  });

  it("knows February's length in leap and common years", () => {
    expect(resolve("last_month", "2028-03-10T10:00:00Z")).toEqual(["2028-02-01", "2028-02-29"]);
    expect(resolve("last_month", "2027-03-10T10:00:00Z")).toEqual(["2027-02-01", "2027-02-28"]);
    expect(resolve("month_to_date", "2028-02-29T10:00:00Z")).toEqual(["2028-02-01", "2028-02-29"]);
    expect(resolve("last_7_days", "2028-03-02T10:00:00Z")).toEqual(["2028-02-24", "2028-03-01"]);
  });

  it("finds the previous quarter at each quarter's start", () => {
    expect(resolve("last_quarter", "2026-04-01T10:00:00Z")).toEqual(["2026-01-01", "2026-03-31"]);
    expect(resolve("last_quarter", "2026-06-30T10:00:00Z")).toEqual(["2026-01-01", "2026-03-31"]);
    expect(resolve("last_quarter", "2026-10-01T10:00:00Z")).toEqual(["2026-07-01", "2026-09-30"]);
  });

  it("is not moved by a daylight-saving change", () => {
    // 2026-03-08 is the day New York springs forward: 04:30Z next day is 00:30 EDT, though 23:30 in EST.
    expect(resolve("last_7_days", "2026-03-09T04:30:00Z", "America/New_York")).toEqual(["2026-03-02", "2026-03-08"]);
    expect(resolve("today", "2026-03-08T07:30:00Z", "America/New_York")).toEqual(["2026-03-08", "2026-03-08"]);
  });
});

describe("dateRangeSchema", () => {
  const issues = (input: unknown) => {
    const r = dateRangeSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("defaults to the last 7 days", () => {
    expect(dateRangeSchema.parse({})).toEqual({ dateRange: "last_7_days" });
  });

  it("accepts a custom range of up to three years", () => {
    expect(issues({ dateRange: "custom", from: "2024-01-01", to: "2024-01-01" })).toEqual([]);
    expect(issues({ dateRange: "custom", from: "2024-01-01", to: "2027-01-01" })).toEqual([]);
  });

  it("requires from and to for a custom range", () => {
    expect(issues({ dateRange: "custom" })).toEqual([expect.stringMatching(/^from: /), expect.stringMatching(/^to: /)]);
    expect(issues({ dateRange: "custom", from: "2026-01-01" })).toEqual([expect.stringMatching(/^to: Required/)]);
  });

  it("rejects a custom range that ends before it starts or spans more than three years", () => {
    expect(issues({ dateRange: "custom", from: "2026-02-01", to: "2026-01-31" })).toEqual([expect.stringMatching(/^to: /)]);
    expect(issues({ dateRange: "custom", from: "2024-01-01", to: "2027-01-02" })).toEqual([expect.stringMatching(/^to: .*3 years/)]);
  });

  it("rejects dates that are not real YYYY-MM-DD days", () => {
    expect(issues({ dateRange: "custom", from: "2026-02-30", to: "2026-03-01" })).not.toEqual([]);
    expect(issues({ dateRange: "custom", from: "2026/01/01", to: "2026-03-01" })).not.toEqual([]);
    expect(issues({ dateRange: "custom", from: "2027-02-29", to: "2027-03-01" })).not.toEqual([]);
    expect(issues({ dateRange: "custom", from: "2028-02-29", to: "2028-03-01" })).toEqual([]);
  });

  it("rejects from/to on a relative range and unknown options", () => {
    expect(issues({ dateRange: "last_month", from: "2026-01-01" })).toEqual([expect.stringMatching(/^from: /)]);
    expect(issues({ dateRange: "last_week" })).not.toEqual([]);
  });
});
