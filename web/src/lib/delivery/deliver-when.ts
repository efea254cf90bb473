// Delivery conditions in words, shared by the wizard, the report page and the history.
import type { DeliverWhen, ExecutionSummary } from "../api.ts";

export type DeliverMode = DeliverWhen["mode"];
export type ThresholdCondition = Extract<DeliverWhen, { mode: "ifThreshold" }>;
export type ThresholdOperator = ThresholdCondition["operator"];
export type SkipReason = NonNullable<NonNullable<ExecutionSummary>["deliverySkipped"]>["reason"];

export const DELIVER_MODES: Record<DeliverMode, { label: string; help: string }> = {
  always: { label: "Always", help: "Every run sends its file to the recipients, even an empty one." },
  ifResults: { label: "Only when there are results", help: "A run whose result has no rows sends nothing." },
  ifChanged: { label: "Only when the result changed", help: "A run whose rows are the same as the last delivered run's sends nothing." },
  ifThreshold: {
    label: "Only when a column passes a threshold",
    help: "A run sends its file only when at least one row's column compares true with the value.",
  },
};

export const MODE_ORDER: readonly DeliverMode[] = ["always", "ifResults", "ifChanged", "ifThreshold"];

export const OPERATORS: Record<ThresholdOperator, string> = {
  ">": "is greater than",
  ">=": "is at least",
  "<": "is less than",
  "<=": "is at most",
  "=": "equals",
  "!=": "is not",
};

export const OPERATOR_ORDER: readonly ThresholdOperator[] = [">", ">=", "<", "<=", "=", "!="];

export const SKIP_REASONS: Record<SkipReason, string> = {
  no_results: "no results",
  unchanged: "unchanged",
  threshold_not_met: "threshold not met",
};

/** Column types the API compares as numbers (a threshold on them needs a number). */
const NUMERIC_COLUMN_TYPES = new Set(["integer", "number", "currency", "percent"]);
export const isNumericColumn = (type: string | undefined) => type !== undefined && NUMERIC_COLUMN_TYPES.has(type);

/** "Delivered only when …", with what happens to the file of a run that delivers nothing. */
export function describeDeliverWhen(d: DeliverWhen): string {
  const when =
    d.mode === "always"
      ? "Delivered after every run."
      : d.mode === "ifResults"
        ? "Delivered only when the result has rows."
        : d.mode === "ifChanged"
          ? "Delivered only when the result differs from the last delivered run."
          : `Delivered only when some row's ${d.column} ${OPERATORS[d.operator]} ${typeof d.value === "string" ? `“${d.value}”` : d.value}.`;
  if (d.mode === "always") return when;
  return `${when} ${d.keepFile === false ? "Runs that deliver nothing do not keep their file." : "Runs that deliver nothing keep their file."}`;
}
