import { describe, expect, it } from "vitest";
import { describeParameters, formatCell, plural } from "./format.ts";

describe("plural", () => {
  it("says one thing and many things", () => {
    expect(plural(1, "attempt")).toBe("1 attempt");
    expect(plural(0, "attempt")).toBe("0 attempts");
    expect(plural(1204, "file")).toBe("1,204 files");
    expect(plural(2, "entry", "entries")).toBe("2 entries");
  });
});

describe("formatCell", () => {
  it("formats each numeric column type as the PDF does", () => {
    expect(formatCell("currency", 6623.93)).toBe("6,623.93");
    expect(formatCell("currency", 12)).toBe("12.00");
    expect(formatCell("integer", 14009)).toBe("14,009");
    expect(formatCell("number", 1234.5678)).toBe("1,234.57");
    expect(formatCell("percent", 0.125)).toBe("12.5%");
  });
  it("leaves text, dates, identifiers and unknown types as they came, and empty cells empty", () => {
    expect(formatCell("date", "2026-11-30")).toBe("2026-11-30");
    expect(formatCell("string", "EU")).toBe("EU");
    expect(formatCell("id", 14009)).toBe("14009");
    expect(formatCell("currency", null)).toBe("");
    expect(formatCell("currency", "")).toBe("");
  });
});

describe("describeParameters", () => {
  const schema = {
    properties: {
      dateRange: { type: "string", enum: ["last_7_days", "last_30_days", "custom"], default: "last_30_days", title: "Date range" },
      from: { type: "string", title: "From" },
      to: { type: "string", title: "To" },
      region: { type: "string", enum: ["NA", "EU"], title: "Region" },
      includeRefunded: { type: "boolean", default: false, title: "Include refunded orders" },
      priorities: { type: "array", items: { enum: ["urgent", "high"] } },
    },
  };
  it("names each parameter by its title, with defaults for values not set and the raw key without a title", () => {
    expect(describeParameters(schema, { region: "EU", priorities: ["urgent", "high"] })).toEqual([
      { key: "dateRange", label: "Date range", value: "last 30 days" },
      { key: "region", label: "Region", value: "EU" },
      { key: "includeRefunded", label: "Include refunded orders", value: "no" },
      { key: "priorities", label: "priorities", value: "urgent, high" },
    ]);
  });
  it("shows the custom dates only for a custom range, and an empty filter as any", () => {
    const shown = describeParameters(schema, { dateRange: "custom", from: "2026-11-01", to: "2026-11-30", includeRefunded: true });
    expect(shown.map((p) => `${p.label}: ${p.value}`)).toEqual([
      "Date range: custom",
      "From: 2026-11-01",
      "To: 2026-11-30",
      "Region: any",
      "Include refunded orders: yes",
      "priorities: any",
    ]);
  });
});
