import { unzipSync } from "fflate";
import Papa from "papaparse";
import * as XLSX from "xlsx";
import type { Column } from "../../src/reports/types";

/** The workbook read back by SheetJS, an independent reader, with dates as dates. */
export const readWorkbook = (bytes: Uint8Array) => XLSX.read(bytes, { type: "array", cellDates: true, cellNF: true });

/** One part of the package as text (e.g. "xl/styles.xml"). */
export function xlsxPart(bytes: Uint8Array, name: string): string {
  const part = unzipSync(bytes, { filter: (f) => f.name === name })[name];
  if (!part) throw new Error(`no ${name} in the package`);
  return new TextDecoder().decode(part);
}

/**
 * Every sheet's cells as the CSV renderer writes them: numbers as JavaScript prints them, dates as
 * YYYY-MM-DD, text as it is, empty cells as "". The sheets are joined, each one's header dropped
 * after the first.
 */
export function workbookAsCsvValues(bytes: Uint8Array, columns: Column[]): string[][] {
  const wb = readWorkbook(bytes);
  const out: string[][] = [];
  wb.SheetNames.forEach((name, s) => {
    const sheet = wb.Sheets[name]!;
    const range = XLSX.utils.decode_range(sheet["!ref"] ?? "A1");
    for (let r = s === 0 ? 0 : 1; r <= range.e.r; r++) {
      out.push(
        columns.map((_, c) => {
          const cell = sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
          if (!cell || cell.t === "z" || cell.v === undefined) return "";
          if (cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
          return String(cell.v);
        }),
      );
    }
  });
  return out;
}

/** The CSV renderer's file as rows of strings, its formula guard (a leading quote) taken off. */
export function csvValues(text: string): string[][] {
  const rows = Papa.parse<string[]>(text.trimEnd(), { newline: "\r\n" }).data;
  return rows.map((row) => row.map((v) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v)));
}
