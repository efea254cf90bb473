import { createHash } from "node:crypto";
import type { DeliverWhen, DeliverySkipReason, ThresholdOperator } from "../../db/schema";
import type { CellValue, Column, Row } from "../../reports/types";

/** What the delivery condition needs to know about a run's rows, gathered while they stream past. */
export type RowFacts = { rowCount: number; resultHash: string; thresholdMet: boolean };

function compare(cell: CellValue, operator: ThresholdOperator, value: number | string): boolean {
  if (cell === null) return false;
  let a: number | string = cell;
  if (typeof value === "number") {
    a = typeof cell === "number" ? cell : Number(cell);
    if (Number.isNaN(a)) return false;
  } else {
    a = String(cell);
  }
  switch (operator) {
    case ">":
      return a > value;
    case ">=":
      return a >= value;
    case "<":
      return a < value;
    case "<=":
      return a <= value;
    case "=":
      return a === value;
    case "!=":
      return a !== value;
  }
}

/**
 * Passes the pages through unchanged while hashing the rows (SHA-256 of each row's values in column
 * order: the file's bytes would differ by its generation time) and checking the threshold on each row.
 */
export function watchRows(pages: AsyncIterable<Row[]>, columns: Column[], deliverWhen: DeliverWhen): { pages: AsyncIterable<Row[]>; facts(): RowFacts } {
  const hash = createHash("sha256");
  let rowCount = 0;
  let thresholdMet = false;
  let digest: string | null = null;
  const keys = columns.map((c) => c.key);
  return {
    pages: {
      async *[Symbol.asyncIterator]() {
        for await (const page of pages) {
          for (const row of page) {
            rowCount++;
            hash.update(`${JSON.stringify(keys.map((k) => row[k] ?? null))}\n`);
            if (!thresholdMet && deliverWhen.mode === "ifThreshold")
              thresholdMet = compare(row[deliverWhen.column] ?? null, deliverWhen.operator, deliverWhen.value);
          }
          yield page;
        }
      },
    },
    facts() {
      digest ??= hash.digest("hex");
      return { rowCount, resultHash: digest, thresholdMet };
    },
  };
}

/** Why this run delivers nothing, or null when it delivers. */
export function deliverySkipReason(deliverWhen: DeliverWhen, facts: RowFacts, lastDeliveredHash: string | null): DeliverySkipReason | null {
  switch (deliverWhen.mode) {
    case "always":
      return null;
    case "ifResults":
      return facts.rowCount === 0 ? "no_results" : null;
    case "ifChanged":
      return lastDeliveredHash === facts.resultHash ? "unchanged" : null;
    case "ifThreshold":
      return facts.thresholdMet ? null : "threshold_not_met";
  }
}
