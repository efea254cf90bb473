import { describe, expect, it } from "vitest";
import { dayRangeIn, formatIn } from "./time.ts";

describe("dayRangeIn", () => {
  it("turns calendar dates on the viewer's clock into the API's range, both days included", () => {
    expect(dayRangeIn("2026-11-01", "2026-11-30", "Europe/Berlin")).toEqual({ from: "2026-10-31T23:00:00.000Z", to: "2026-11-30T23:00:00.000Z" });
    expect(dayRangeIn("2026-03-29", "2026-03-29", "Europe/Berlin")).toEqual({ from: "2026-03-28T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z" });
    expect(dayRangeIn("", "", "UTC")).toEqual({ from: undefined, to: undefined });
  });
});

describe("formatIn", () => {
  const now = new Date("2026-12-07T12:00:00Z");
  it("leaves the year out within the current year, and names it for any other", () => {
    expect(formatIn("2026-12-08T08:00:00Z", "Europe/Berlin", now)).toBe("Tue 8 Dec, 09:00 CET");
    expect(formatIn("2027-02-01T08:00:00Z", "Europe/Berlin", now)).toBe("Mon, 1 Feb 2027, 09:00 CET");
    expect(formatIn("2025-12-31T10:00:00Z", "UTC", now)).toBe("Wed, 31 Dec 2025, 10:00 UTC");
  });
  it("counts the year on the zone's own calendar", () => {
    // 23:30 UTC on 31 December 2026 is already 2027 in Berlin.
    expect(formatIn("2026-12-31T23:30:00Z", "Europe/Berlin", now)).toBe("Fri, 1 Jan 2027, 00:30 CET");
    expect(formatIn("2026-12-31T23:30:00Z", "UTC", now)).toBe("Thu 31 Dec, 23:30 UTC");
    expect(formatIn(null, "UTC", now)).toBe("—");
  });
});
