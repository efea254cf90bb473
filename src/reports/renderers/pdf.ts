import type { Page } from "@cloudflare/puppeteer";
import { JobError, permanent } from "../../errors";
import { log } from "../../lib/log";
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

type PdfOptions = NonNullable<Parameters<Page["pdf"]>[0]>;

/** What the page may load: itself (about:blank, where the document is set) and inlined data (the logo, see pdf/logo.ts). */
const mayLoad = (url: string) => url.startsWith("data:") || url.startsWith("about:");

/**
 * Prints a whole HTML document. Chromium fetches nothing: the document is set, not loaded, every
 * request the page makes (an image, a stylesheet, a font, a frame) is aborted unless it is a data:
 * URL, and scripts do not run (the template has none; charts are SVG drawn on the server). So no
 * report, branding or data can make the renderer reach a network.
 */
export async function printHtml(binding: Fetcher, html: string, pdf: PdfOptions): Promise<Uint8Array> {
  const bytes = await withTimeout(
    withBrowser(
      binding,
      async (browser) => {
        const page = await browser.newPage();
        try {
          await page.setJavaScriptEnabled(false);
          await page.setRequestInterception(true);
          page.on("request", (request) => {
            const url = request.url();
            if (mayLoad(url)) {
              request.continue().catch(() => {});
              return;
            }
            log("warn", "PDF page request refused", { url: url.slice(0, 300) });
            request.abort("blockedbyclient").catch(() => {});
          });
          await page.setContent(html, { waitUntil: "load", timeout: PDF_TIMEOUT_MS });
          return await page.pdf(pdf);
        } finally {
          await page.close().catch(() => {});
        }
      },
      PDF_TIMEOUT_MS,
    ),
    PDF_TIMEOUT_MS,
  );
  return new Uint8Array(bytes);
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
          const pdf = await printHtml(options.browser, html, {
            format: meta.branding.paperSize ?? "A4",
            landscape: isLandscape(columns),
            printBackground: true,
            displayHeaderFooter: true,
            ...headerFooter(meta),
            margin: { top: "18mm", bottom: "16mm", left: "12mm", right: "12mm" },
          });
          controller.enqueue(pdf);
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
