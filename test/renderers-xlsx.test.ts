import { describe, expect, it } from "vitest";
import { JobError } from "../src/errors";
import { csvRenderer } from "../src/reports/renderers/csv";
import type { RenderInput } from "../src/reports/renderers/types";
import { xlsxRenderer } from "../src/reports/renderers/xlsx";
import { sheetName } from "../src/reports/renderers/xlsx-cells";
import type { Column, Row } from "../src/reports/types";
import { csvValues, readWorkbook, workbookAsCsvValues, xlsxPart } from "./support/xlsx";

const columns: Column[] = [
  { key: "id", label: "Order", type: "id" },
  { key: "date", label: "Date", type: "date" },
  { key: "name", label: "Customer", type: "string" },
  { key: "orders", label: "Orders", type: "integer" },
  { key: "revenue", label: "Revenue", type: "currency" },
  { key: "share", label: "Share", type: "percent" },
  { key: "ratio", label: "Ratio", type: "number" },
];

const tricky: Row[] = [
  { id: 14009, date: "2026-11-01", name: 'Quote "Inc", Ltd', orders: 3, revenue: 1234.5, share: 0.125, ratio: 1e-7 },
  { id: 2, date: "2026-11-02", name: "Line\nbreak", orders: 0, revenue: -20, share: 1, ratio: 123456789.123 },
  { id: "INV-007", date: "2026-11-03", name: '=HYPERLINK("http://evil")', orders: 1, revenue: 0.1, share: null, ratio: 0 },
  { id: "00123", date: "not a date", name: "Zoë Ñandú 東京 🚀", orders: 2, revenue: null, share: -0.5, ratio: -1.5 },
  { id: 5, date: null, name: "  spaces kept  ", orders: null, revenue: "99.95", share: 0, ratio: 2 },
  { id: 6, date: "1999-12-31", name: "a & b < c > d _x0041_ \u0001 bell", orders: 12345678, revenue: 1e21, share: 0.333, ratio: 3 },
  { id: 7, date: "2026-02-28", name: "", orders: -4, revenue: 5, share: 0.01, ratio: 4 },
];

async function* pagesOf(rows: Row[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const input = (rows: Row[], options: RenderInput["options"] = {}, title = "Test report"): RenderInput => ({
  columns,
  pages: pagesOf(rows, 3),
  meta: { title, description: "", organizationName: "Acme", generatedAt: new Date("2026-11-28T09:00:00Z"), timezone: "UTC", branding: {} },
  options,
});

const readAll = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());
const xlsxOf = async (rows: Row[], options: RenderInput["options"] = {}, title?: string) => readAll(xlsxRenderer.render(input(rows, options, title)).stream);
const csvOf = async (rows: Row[]) => new TextDecoder().decode(await readAll(csvRenderer.render(input(rows)).stream));

describe("XLSX renderer", () => {
  it("writes typed cells with their number formats: numbers, dates, identifiers and text", async () => {
    const file = xlsxRenderer.render(input(tricky));
    const bytes = await readAll(file.stream);
    const sheet = readWorkbook(bytes).Sheets["Test report"]!;
    expect(sheet.A1).toMatchObject({ t: "s", v: "Order" });
    expect(sheet.A2).toMatchObject({ t: "n", v: 14009, z: "0", w: "14009" });
    expect(sheet.A4).toMatchObject({ t: "s", v: "INV-007" });
    // An identifier given as text keeps its leading zeros.
    expect(sheet.A5).toMatchObject({ t: "s", v: "00123" });
    expect(sheet.B2).toMatchObject({ t: "d", v: new Date("2026-11-01T00:00:00Z"), z: "yyyy-mm-dd" });
    expect(sheet.B5).toMatchObject({ t: "s", v: "not a date" });
    expect(sheet.D2).toMatchObject({ t: "n", v: 3, z: "#,##0" });
    expect(sheet.D7).toMatchObject({ t: "n", v: 12345678, w: "12,345,678" });
    expect(sheet.E2).toMatchObject({ t: "n", v: 1234.5, z: "#,##0.00", w: "1,234.50" });
    // A numeric string from the source (Postgres numeric) is the number it says.
    expect(sheet.E6).toMatchObject({ t: "n", v: 99.95 });
    expect(sheet.F2).toMatchObject({ t: "n", v: 0.125, z: "0.0%" });
    // A formula in the data is text, never a formula.
    expect(sheet.C4).toMatchObject({ t: "s", v: '=HYPERLINK("http://evil")' });
    expect(sheet.C4.f).toBeUndefined();
    expect(sheet.C5).toMatchObject({ v: "Zoë Ñandú 東京 🚀" });
    expect(sheet.C6).toMatchObject({ v: "  spaces kept  " });
    expect(sheet.C7).toMatchObject({ v: "a & b < c > d _x0041_ \u0001 bell" });
    expect(file.rowCount()).toBe(tricky.length);
  });

  it("has every value equal to the CSV's for the same rows", async () => {
    const many: Row[] = Array.from({ length: 2_500 }, (_, i) => ({
      id: 10_000 + i,
      date: `2026-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
      name: i % 7 === 0 ? `-${i} starts like a formula` : `Customer ${i}, "quoted" & <tagged>`,
      orders: i % 5 === 0 ? null : i * 3,
      revenue: i % 11 === 0 ? -i / 4 : (i * 1.01) / 3,
      share: i / 2500,
      ratio: i % 13 === 0 ? "" : i * 1e-3,
    }));
    const rows = [...tricky, ...many];
    const [xlsx, csv] = await Promise.all([xlsxOf(rows), csvOf(rows)]);
    const fromXlsx = workbookAsCsvValues(xlsx, columns);
    const fromCsv = csvValues(csv);
    expect(fromXlsx.length).toBe(rows.length + 1);
    // One mismatch in 2,500 rows would show as a diff of that row.
    expect(fromXlsx).toEqual(fromCsv);
  });

  it("writes text as inline strings, a bold frozen header, the autofilter over every row and the column widths", async () => {
    const bytes = await xlsxOf(tricky);
    const xml = xlsxPart(bytes, "xl/worksheets/sheet1.xml");
    expect(xml).not.toContain('t="str"');
    expect(xml).toContain('t="inlineStr"');
    expect(xml).toMatch(/<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
    expect(xml).toContain('<autoFilter ref="A1:G8"/>');
    expect(xml).toContain('<col min="3" max="3" width="24" customWidth="1"/>');
    expect(xml).toContain('<col min="1" max="1" width="14" customWidth="1"/>');
    // The header cells use style 1, whose font is the bold one.
    expect(xml).toMatch(/<row r="1"><c s="1" t="inlineStr"><is><t>Order<\/t>/);
    const styles = xlsxPart(bytes, "xl/styles.xml");
    const xfs = [...styles.matchAll(/<xf [^>]*\/>/g)].map((m) => m[0]).slice(1); // after the one cellStyleXf
    const fonts = [...styles.matchAll(/<font>.*?<\/font>/g)].map((m) => m[0]);
    const headerFont = Number(/fontId="(\d+)"/.exec(xfs[1]!)![1]);
    expect(fonts[headerFont]).toContain("<b/>");
    expect(xlsxPart(bytes, "xl/workbook.xml")).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Test report'!$A$1:$G$8</definedName>`,
    );
  });

  it("writes only the header for an empty report", async () => {
    const bytes = await xlsxOf([]);
    expect(workbookAsCsvValues(bytes, columns)).toEqual([columns.map((c) => c.label)]);
  });

  it("goes on in a second sheet, the header repeated, past the rows a sheet holds", async () => {
    const rows = tricky.slice(0, 5);
    // Three rows a sheet with the header: two data rows each.
    const bytes = await xlsxOf(rows, { xlsxSheetRows: 3 });
    const wb = readWorkbook(bytes);
    expect(wb.SheetNames).toEqual(["Test report", "Test report (2)", "Test report (3)"]);
    expect(wb.Sheets["Test report (2)"]!.A1).toMatchObject({ v: "Order" });
    expect(wb.Sheets["Test report (3)"]!["!ref"]).toBe("A1:G2");
    expect(workbookAsCsvValues(bytes, columns)).toEqual(csvValues(await csvOf(rows)));
  });

  it("fails with a message naming the limit when the report chooses so", async () => {
    const file = xlsxRenderer.render(input(tricky, { xlsxSheetRows: 3, xlsxOverflow: "fail" }));
    const error = await readAll(file.stream).catch((err) => err);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ retryable: false, message: "The report has more than 2 rows, the most one Excel sheet holds (3 rows with the header)" });
    // At Excel's own limit the message names Excel's numbers.
    const { rowLimitMessage } = await import("../src/reports/renderers/xlsx");
    expect(rowLimitMessage(1_048_576)).toContain("more than 1,048,575 rows, the most one Excel sheet holds (1,048,576 rows with the header)");
  });

  it("stops reading rows when the reader cancels", async () => {
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield Array.from({ length: 500 }, (_, i) => ({ id: i, name: "x".repeat(200) }));
        }
      } finally {
        closed = true;
      }
    }
    const file = xlsxRenderer.render({ ...input([]), pages: endless() });
    const reader = file.stream.getReader();
    await reader.read();
    await reader.cancel(new Error("upload gave up"));
    const before = pulled;
    // The producer notices at its next wait for demand and closes the source.
    await expect.poll(() => closed).toBe(true);
    expect(pulled - before).toBeLessThanOrEqual(1);
  });
});

describe("Sheet names", () => {
  it.each([
    ["Sales: EU/US [draft]?", "Sales EU US draft"],
    ["'Quoted'", "Quoted"],
    ["It's fine", "It's fine"],
    ["a*b\\c", "a b c"],
    ["", "Report"],
    ["'''", "Report"],
    ["History", "History report"],
    ["A very long report name that goes on and on", "A very long report name that go"],
    // Cut at 31, the apostrophe the cut leaves at the end goes too.
    ["Thirty characters exactly here' and more", "Thirty characters exactly here"],
  ])("%j becomes %j", (title, expected) => {
    const name = sheetName(title);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/^'|'$|[[\]:*?/\\]/);
  });

  it("keeps the continuation suffix within 31 characters", () => {
    expect(sheetName("A very long report name that goes on and on", 12)).toBe("A very long report name th (12)");
    expect(sheetName("Orders", 2)).toBe("Orders (2)");
  });
});
