import { describe, expect, it } from "vitest";
import { dayRangeIn } from "./time.ts";

describe("dayRangeIn", () => {
  it("turns calendar dates on the viewer's clock into the API's range, both days included", () => {
    expect(dayRangeIn("2026-11-01", "2026-11-30", "Europe/Berlin")).toEqual({ from: "2026-10-31T23:00:00.000Z", to: "2026-11-30T23:00:00.000Z" });
    expect(dayRangeIn("2026-03-29", "2026-03-29", "Europe/Berlin")).toEqual({ from: "2026-03-28T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z" });
    expect(dayRangeIn("", "", "UTC")).toEqual({ from: undefined, to: undefined });
  });
});
