// Words and numbers as people read them: plurals, report cells by their column's type, and a
// report's parameters under the labels its type's JSON Schema gives them.
import type { ParameterSchema } from "./parameter-schema.ts";

/** "1 attempt", "2 attempts", "1,204 files". */
export const plural = (n: number, one: string, many = `${one}s`) => `${grouped.format(n)} ${n === 1 ? one : many}`;

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const upToTwo = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** Column types whose cells are numbers, right-aligned. */
export const isNumericColumn = (type: string) => type === "integer" || type === "number" || type === "currency" || type === "percent";

/**
 * A report cell as its column's type says, the way the PDF prints it: `integer` grouped (14,009),
 * `currency` (an amount in units, e.g. 6623.93) grouped with two decimals (6,623.93), `number` grouped
 * with up to two decimals, `percent` (a ratio, 0.125) as 12.5%. Anything else (strings, dates,
 * identifiers, a type this dashboard does not know) as it came.
 */
export function formatCell(type: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value !== "number") return String(value);
  if (type === "integer") return grouped.format(value);
  if (type === "currency") return twoDecimals.format(value);
  if (type === "number") return upToTwo.format(value);
  if (type === "percent") return percent.format(value);
  return String(value);
}

const words = (v: string) => v.replaceAll("_", " ");

function describeValue(value: unknown): string {
  if (value === true) return "yes";
  if (value === false) return "no";
  if (Array.isArray(value)) return value.length ? value.map((v) => words(String(v))).join(", ") : "any";
  if (typeof value === "number") return String(value);
  return words(String(value));
}

/**
 * The parameters a report runs with, each under its schema title (the raw key when it has none): a
 * value not set shows the schema's default, or "any" (an optional filter left empty). The custom
 * dates show only for a custom date range, as the form shows them.
 */
export function describeParameters(schema: ParameterSchema, values: Record<string, unknown>): { key: string; label: string; value: string }[] {
  const custom = (values.dateRange ?? schema.properties?.dateRange?.default) === "custom";
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => custom || (key !== "from" && key !== "to"))
    .map(([key, p]) => {
      const value = values[key] ?? p.default;
      return { key, label: p.title ?? key, value: value === undefined || value === "" ? "any" : describeValue(value) };
    });
}
