import { env } from "cloudflare:test";
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../src/demo/seed";
import { renderReportHtml } from "../src/reports/pdf/template";
import { getReportType } from "../src/reports/registry";
import { pdfRenderer } from "../src/reports/renderers/pdf";
import type { RenderInput } from "../src/reports/renderers/types";
import type { Column, Row } from "../src/reports/types";
import { createOrganization } from "./support/demo-org";
import { queryContext, readReport } from "./support/demo-reports";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";

const meta = {
  title: "Order export",
  description: "Last 30 days (2026-10-24 to 2026-11-22)",
  organizationName: "Acme Analytics",
  generatedAt: new Date("2026-11-23T08:00:00Z"),
  timezone: "Europe/Berlin",
  branding: {},
};

async function* pagesOf(rows: Row[]) {
  for (let i = 0; i < rows.length; i += 100) yield rows.slice(i, i + 100);
}

async function render(columns: Column[], rows: Row[], options: Partial<RenderInput["options"]> = {}) {
  const file = pdfRenderer.render({ columns, pages: pagesOf(rows), meta, options: { browser: env.BROWSER as unknown as Fetcher, ...options } });
  const bytes = new Uint8Array(await new Response(file.stream).arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  // pdf.js takes the buffer over, so it reads a copy.
  const pdf = await getDocumentProxy(bytes.slice());
  const { totalPages, text } = await extractText(pdf, { mergePages: false });
  return { file, bytes, totalPages, pages: text as string[] };
}

const squash = (s: string) => s.replace(/\s+/g, " ");

/** Chromium (Browser Rendering run locally) starts cold per file: on a loaded 2-core CI machine a first render took over 30 s. */
const PDF_TEST_TIMEOUT_MS = 120_000;

describe("PDF reports", { timeout: PDF_TEST_TIMEOUT_MS }, () => {
  it("renders the query's rows over several pages with the header and 'Page X of Y' on every page", async () => {
    const now = new Date("2026-11-23T08:00:00Z");
    const org = await createOrganization("Acme Analytics");
    await seedDemoData(env.DB, org, { now, scale: 0.05 });
    const type = getReportType("order_details")!;
    const params = type.parameters.parse({ dateRange: "last_30_days" });
    const rows = await readReport(type, queryContext(org, now, "Europe/Berlin"), params, 1000);
    expect(rows.length).toBeGreaterThan(60);
    const { file, totalPages, pages } = await render(type.columns(params), rows);
    expect(file.rowCount()).toBe(rows.length);
    expect(totalPages).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      const page = squash(text);
      expect(page).toContain(`Page ${i + 1} of ${totalPages}`);
      expect(page).toContain("Acme Analytics");
      expect(page).toContain("Order export");
    });
    const all = squash(pages.join(" "));
    expect(all).toContain("Generated Monday, 23 November 2026 at 09:00 CET (Europe/Berlin)");
    // Every row is in the document, in order, as "order date customer … amount status".
    let from = 0;
    for (const r of rows) {
      const line = `${r.order_id} ${r.date} ${r.customer}`;
      const at = all.indexOf(line, from);
      expect(at, line).toBeGreaterThanOrEqual(from);
      from = at;
    }
    expect(file.rowCount()).toBe(rows.length);
    expect(file.note?.()).toBeUndefined();
  });

  it("cuts a long report at the row limit and says so", async () => {
    const columns: Column[] = [
      { key: "n", label: "Number", type: "integer" },
      { key: "label", label: "Label", type: "string" },
    ];
    const rows = Array.from({ length: 130 }, (_, i) => ({ n: i + 1, label: `row-${i + 1}` }));
    const { file, pages } = await render(columns, rows, { pdfRowLimit: 50 });
    const all = squash(pages.join(" "));
    expect(all).toContain("This PDF shows the first 50 rows");
    expect(all).toContain("row-50");
    expect(all).not.toContain("row-51");
    expect(file.rowCount()).toBe(50);
    expect(file.note?.()).toMatch(/first 50 rows/);
  });

  it("prints data as text, never as markup, with numbers formatted", async () => {
    const columns: Column[] = [
      { key: "name", label: "Name", type: "string" },
      { key: "amount", label: "Amount", type: "currency" },
    ];
    const rows = [{ name: '<b>bold</b><script>document.title="x"</script>', amount: 1234567.5 }];
    const html = renderReportHtml({ columns, rows, meta, truncatedAt: null });
    expect(html).not.toContain("<script>document");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    const { pages } = await render(columns, rows);
    expect(squash(pages.join(" "))).toContain("<b>bold</b>");
    expect(squash(pages.join(" "))).toContain("1,234,567.50");
  });

  it("completes a PDF report through the generation consumer", async () => {
    const { admin, report } = await reportWithData({ reportType: "sales_summary", format: "pdf", parameters: { dateRange: "last_7_days" } });
    const execution = await insertExecution(admin, report.id);
    await consume("report-generation", [generationJob(execution)]);
    const done = await executionById(execution.id);
    expect(done).toMatchObject({ status: "completed", format: "pdf" });
    expect(done.fileName).toMatch(/\.pdf$/);
    const object = await env.REPORTS.get(done.fileKey!);
    expect(object?.httpMetadata?.contentType).toBe("application/pdf");
    const bytes = new Uint8Array(await object!.arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true });
    expect(squash(text as string)).toContain(report.name);
  });
});
