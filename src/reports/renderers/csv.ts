import Papa from "papaparse";
import type { Renderer } from "./types";

const encoder = new TextEncoder();

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break), UTF-8,
 * a header row of column labels. Text that a spreadsheet would run as a formula (=, +, -, @) is
 * prefixed with a quote (papaparse's escapeFormulae): report data must never execute.
 */
export const csvRenderer: Renderer = {
  render({ columns, pages, options }) {
    let rows = 0;
    const iterator = pages[Symbol.asyncIterator]();
    const unparseOptions = { newline: "\r\n", escapeFormulae: true } as const;
    const csv = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${Papa.unparse([columns.map((c) => c.label)], unparseOptions)}\r\n`));
      },
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        rows += next.value.length;
        const data = next.value.map((row) => columns.map((c) => row[c.key] ?? ""));
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
