import type { CellValue, ColumnType } from "../types";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** Numbers as people read them: thousands separators, two decimals for money; identifiers as they are. */
export function formatCell(type: ColumnType, value: CellValue): string {
  if (value === null || value === "") return "";
  // An order or invoice number is searched for, not summed: "14009", never "14,009".
  if (type === "id") return String(value);
  if (typeof value === "number") {
    if (type === "integer") return integer.format(value);
    if (type === "percent") return percent.format(value);
    if (type === "number" || type === "currency") return decimal.format(value);
  }
  return String(value);
}

export const isNumeric = (type: ColumnType) => type === "integer" || type === "number" || type === "currency" || type === "percent";

/** "Saturday 28 November 2026, 10:00 CET": a time always carries its zone. */
export function formatInstant(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}
