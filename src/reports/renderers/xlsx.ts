// The package's browser build (what bundlers pick by default) has no streaming writer; the Node
// build runs on workerd with nodejs_compat.
import ExcelJS from "exceljs/excel.js";
import type { Column, ColumnType } from "../types";
import { pushStream } from "./push-stream";
import type { Renderer } from "./types";

const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = {
  integer: "#,##0",
  number: "#,##0.00",
  currency: "#,##0.00",
  percent: "0.0%",
  date: "yyyy-mm-dd",
};

/** "2026-11-28" becomes a real date cell (midnight UTC, which Excel shows as that calendar day). */
function cellValue(type: ColumnType, value: string | number | null) {
  if (value === null) return null;
  if (type === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return value;
}

const widthOf = (c: Column) => Math.min(60, Math.max(c.label.length + 2, c.type === "string" ? 24 : 14));

/** Writes with exceljs' streaming writer, row by row, so memory stays flat however long the sheet. */
export const xlsxRenderer: Renderer = {
  render({ columns, pages, meta }) {
    let rows = 0;
    const out = pushStream();

    const produce = async () => {
      const { PassThrough } = await import("node:stream");
      const pass = new PassThrough();
      pass.on("data", (chunk: Uint8Array) => out.write(new Uint8Array(chunk)));
      const finished = new Promise<void>((resolve, reject) => {
        pass.on("end", resolve);
        pass.on("error", reject);
      });
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: true, useSharedStrings: false });
      workbook.creator = "Scheduled Reports";
      workbook.created = meta.generatedAt;
      const sheet = workbook.addWorksheet(meta.title.slice(0, 31).replace(/[\\/?*[\]:]/g, " ") || "Report", {
        views: [{ state: "frozen", ySplit: 1 }],
      });
      sheet.columns = columns.map((c) => ({
        header: c.label,
        key: c.key,
        width: widthOf(c),
        style: NUMBER_FORMATS[c.type] ? { numFmt: NUMBER_FORMATS[c.type] } : {},
      }));
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      const header = sheet.getRow(1);
      header.font = { bold: true };
      header.commit();
      for await (const page of pages) {
        for (const row of page) {
          sheet.addRow(columns.map((c) => cellValue(c.type, row[c.key] ?? null))).commit();
        }
        rows += page.length;
        await out.waitForDemand();
      }
      sheet.commit();
      await workbook.commit();
      await finished;
      out.close();
    };
    produce().catch((err) => out.error(err));

    return {
      stream: out.stream,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      extension: "xlsx",
      rowCount: () => rows,
    };
  },
};
