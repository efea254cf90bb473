import Papa from "papaparse";
import type { CellValue, Column } from "../types";
import type { Renderer } from "./types";

const encoder = new TextEncoder();

/*
 * A spreadsheet runs a cell as a formula when its text starts with one of these, also after leading
 * whitespace and a line break. papaparse's escapeFormulae tests /^[=+\-@\t\r].*$/ without the `s` flag,
 * so "=HYPERLINK(…)" followed by a newline passed it unescaped (#23); we escape in our own code instead.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\n]/;
const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const NUMERIC_TYPES = new Set<Column["type"]>(["integer", "number", "currency", "percent"]);

/** The cell as written: text that could start a formula gets a leading `'`; numbers stay numbers. */
export function neutraliseFormula(value: CellValue, type: Column["type"] | "label"): CellValue {
  if (typeof value !== "string" || !FORMULA_START.test(value)) return value;
  // A numeric column's number that a source returned as text ("-12.5") is a number, not a formula.
  if (type !== "label" && NUMERIC_TYPES.has(type) && NUMERIC.test(value)) return value;
  return `'${value}`;
}

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break), UTF-8,
 * a header row of column labels. Text that a spreadsheet would run as a formula (=, +, -, @, a tab or a
 * line break first, after optional whitespace) is prefixed with a quote: report data must never execute.
 */
export const csvRenderer: Renderer = {
  render({ columns, pages, options }) {
    let rows = 0;
    const iterator = pages[Symbol.asyncIterator]();
    const unparseOptions = { newline: "\r\n", escapeFormulae: false } as const;
    const csv = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${Papa.unparse([columns.map((c) => neutraliseFormula(c.label, "label"))], unparseOptions)}\r\n`));
      },
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        rows += next.value.length;
        const data = next.value.map((row) => columns.map((c) => neutraliseFormula(row[c.key] ?? "", c.type)));
        controller.enqueue(encoder.encode(`${Papa.unparse(data, unparseOptions)}\r\n`));
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    });
    return {
      stream: options.compress ? csv.pipeThrough(new CompressionStream("gzip")) : csv,
      contentType: options.compress ? "application/gzip" : "text/csv; charset=utf-8",
      extension: options.compress ? "csv.gz" : "csv",
      rowCount: () => rows,
    };
  },
};
