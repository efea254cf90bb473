import { describe, expect, it } from "vitest";
import { formatCell } from "../src/reports/pdf/format";
import { renderReportHtml } from "../src/reports/pdf/template";
import { listReportTypes } from "../src/reports/registry";
import type { RenderInput } from "../src/reports/renderers/types";
import { xlsxRenderer } from "../src/reports/renderers/xlsx";
import type { Column, Row } from "../src/reports/types";
import { readWorkbook } from "./support/xlsx";

const meta: RenderInput["meta"] = {
  title: "Ids",
  description: "",
  organizationName: "Acme",
  generatedAt: new Date("2026-11-28T09:00:00Z"),
  timezone: "UTC",
  branding: {},
};

/** The declared columns of every report type, with their default parameters. */
const declared = () => listReportTypes().flatMap((t) => t.columns(t.parameters.parse({})).map((c) => ({ type: t.id, column: c })));

async function xlsxOf(columns: Column[], rows: Row[], title = meta.title) {
  async function* pages() {
    yield rows;
  }
  const file = xlsxRenderer.render({ columns, pages: pages(), meta: { ...meta, title }, options: {} });
  return readWorkbook(new Uint8Array(await new Response(file.stream).arrayBuffer()));
}

describe("Identifiers", () => {
  it("are declared as ids by the report types that have them (order, invoice and ticket numbers)", () => {
    const ids = declared().filter(({ column }) => column.key.endsWith("_id"));
    expect(ids.map(({ type, column }) => `${type}.${column.key}`).sort()).toEqual(
      expect.arrayContaining(["invoices.invoice_id", "order_details.order_id", "ticket_backlog.ticket_id"]),
    );
    for (const { column } of ids) expect(column.type).toBe("id");
  });

  it("print without grouping in a PDF, where amounts keep theirs", () => {
    const columns = declared()
      .filter(({ type }) => type === "invoices")
      .map(({ column }) => column);
    const idColumn = columns.find((c) => c.key === "invoice_id")!;
    expect(formatCell(idColumn.type, 14009)).toBe("14009");
    const html = renderReportHtml({ columns, rows: [{ invoice_id: 14009, amount: 14009 }], meta, truncatedAt: null });
    expect(html).toContain(">14009<");
    expect(formatCell("currency", 14009)).toBe("14,009.00");
  });

  it("are numbers without grouping in XLSX, so that a search for 14009 finds them", async () => {
    const columns = declared()
      .filter(({ type }) => type === "order_details")
      .map(({ column }) => column);
    const wb = await xlsxOf(columns, [{ order_id: 14009, quantity: 14009 }]);
    const sheet = wb.Sheets[wb.SheetNames[0]!]!;
    const col = (key: string) => String.fromCharCode(65 + columns.findIndex((c) => c.key === key));
    expect(sheet[`${col("order_id")}2`]).toMatchObject({ t: "n", v: 14009, w: "14009" });
    expect(sheet[`${col("quantity")}2`]).toMatchObject({ t: "n", v: 14009, w: "14,009" });
  });
});

describe("Sheet names in the file", () => {
  it.each([
    ["'Q3: sales/EU'", "Q3 sales EU"],
    ["Weekly * report? [draft]", "Weekly report draft"],
    ["Orders by customer, region and product, weekly", "Orders by customer, region and"],
  ])("the report %j gets the sheet %j", async (title, expected) => {
    const wb = await xlsxOf([{ key: "a", label: "A", type: "string" }], [{ a: "x" }], title);
    expect(wb.SheetNames).toEqual([expected]);
  });
});
