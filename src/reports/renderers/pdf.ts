import { JobError, permanent } from "../../errors";
import { withBrowser } from "../pdf/browser";
import { headerFooter, isLandscape, renderReportHtml } from "../pdf/template";
import type { Row } from "../types";
import type { Renderer } from "./types";

/** A PDF is a document for people, not an export: longer reports are cut here (see README). */
export const DEFAULT_PDF_ROW_LIMIT = 2_000;
export const PDF_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobError("timeout", `PDF rendering took longer than ${ms / 1000} s`, true)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Rows (up to the limit) → HTML → Chromium through Browser Rendering → PDF bytes. A timeout or a
 * browser error is retryable (the consumer retries it); no browser binding at all is not.
 */
export const pdfRenderer: Renderer = {
  render({ columns, pages, meta, options }) {
    const limit = options.pdfRowLimit ?? DEFAULT_PDF_ROW_LIMIT;
    let included = 0;
    let truncated = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          if (!options.browser) throw permanent("PDF rendering needs the Browser Rendering binding");
          const rows: Row[] = [];
          for await (const page of pages) {
            rows.push(...page.slice(0, limit + 1 - rows.length));
            if (rows.length > limit) break;
          }
          truncated = rows.length > limit;
          if (truncated) rows.length = limit;
          included = rows.length;
          const html = renderReportHtml({ columns, rows, meta, truncatedAt: truncated ? limit : null });
          const pdf = await withTimeout(
            withBrowser(
              options.browser,
              async (browser) => {
                const page = await browser.newPage();
                try {
                  await page.setContent(html, { waitUntil: "load", timeout: PDF_TIMEOUT_MS });
                  return await page.pdf({
                    format: meta.branding.paperSize ?? "A4",
                    landscape: isLandscape(columns),
                    printBackground: true,
                    displayHeaderFooter: true,
                    ...headerFooter(meta),
                    margin: { top: "18mm", bottom: "16mm", left: "12mm", right: "12mm" },
                  });
                } finally {
                  await page.close().catch(() => {});
                }
              },
              PDF_TIMEOUT_MS,
            ),
            PDF_TIMEOUT_MS,
          );
          controller.enqueue(new Uint8Array(pdf));
          controller.close();
        } catch (err) {
          // Typed failures keep their class; anything else went wrong in the browser.
          controller.error(err instanceof JobError ? err : new JobError("browser", err instanceof Error ? err.message : String(err), true, { cause: err }));
        }
      },
    });
    return {
      stream,
      contentType: "application/pdf",
      extension: "pdf",
      rowCount: () => included,
      note: () => (truncated ? `The PDF holds the first ${limit.toLocaleString("en-US")} rows (the PDF row limit); the report has more.` : undefined),
    };
  },
};
