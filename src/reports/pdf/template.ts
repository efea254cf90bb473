import type { RenderMeta } from "../renderers/types";
import type { Column, Row } from "../types";
import { renderChartSvg } from "./chart";
import { escapeHtml } from "./escape";
import { formatCell, formatInstant, isNumeric } from "./format";

export type DocumentInput = { columns: Column[]; rows: Row[]; meta: RenderMeta; truncatedAt: number | null };

/** A table wider than this many columns is printed landscape. */
export const LANDSCAPE_FROM_COLUMNS = 7;

export const isLandscape = (columns: Column[]) => columns.length >= LANDSCAPE_FROM_COLUMNS;

/**
 * The report as a printable page: branding, title, parameters in words, generation time in the
 * report's timezone, an optional chart, and the table (Chromium repeats <thead> on every page).
 */
export function renderReportHtml({ columns, rows, meta, truncatedAt }: DocumentInput): string {
  const color = meta.branding.primaryColor ?? "#1f2937";
  // Only an inlined image: Chromium refuses every request the page makes (renderers/pdf.ts).
  const logo = meta.logo?.startsWith("data:image/") ? `<img class="logo" src="${escapeHtml(meta.logo)}" alt="">` : "";
  const head = columns.map((c) => `<th class="${isNumeric(c.type) ? "num" : ""}">${escapeHtml(c.label)}</th>`).join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td class="${isNumeric(c.type) ? "num" : ""}">${escapeHtml(formatCell(c.type, r[c.key] ?? null))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const note =
    truncatedAt !== null
      ? `<p class="note">This PDF shows the first ${truncatedAt.toLocaleString("en-US")} rows; the report has more. Schedule it as CSV or Excel to receive every row.</p>`
      : "";
  const chart = meta.chart ? renderChartSvg(meta.chart, rows, meta.branding.primaryColor) : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title>
<style>
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #111; margin: 0; }
  header.brand { display: flex; align-items: center; gap: 12px; border-bottom: 3px solid ${escapeHtml(color)}; padding-bottom: 8px; margin-bottom: 12px; }
  header.brand .logo { max-height: 36px; }
  header.brand .org { font-weight: bold; color: ${escapeHtml(color)}; font-size: 11pt; }
  h1 { font-size: 16pt; margin: 0 0 4px; }
  .meta { color: #444; margin: 0 0 2px; }
  .note { background: #fff4e5; border: 1px solid #f0b46e; padding: 6px 8px; margin: 8px 0; }
  svg.chart { width: 100%; height: auto; margin: 8px 0 12px; }
  table { width: 100%; border-collapse: collapse; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  th { background: ${escapeHtml(color)}; color: #fff; text-align: left; padding: 4px 6px; font-weight: bold; }
  td { padding: 3px 6px; border-bottom: 1px solid #e5e7eb; }
  tbody tr:nth-child(even) td { background: #f8fafc; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .empty { color: #666; font-style: italic; }
</style></head>
<body>
<header class="brand">${logo}<span class="org">${escapeHtml(meta.organizationName)}</span></header>
<h1>${escapeHtml(meta.title)}</h1>
<p class="meta">${escapeHtml(meta.description)}</p>
<p class="meta">Generated ${escapeHtml(formatInstant(meta.generatedAt, meta.timezone))} (${escapeHtml(meta.timezone)})</p>
${note}
${chart}
${rows.length ? `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` : `<p class="empty">No rows for these parameters.</p>`}
</body></html>`;
}

/** Chromium's header and footer templates: org and title on top, "Page X of Y" below, on every page. */
export function headerFooter(meta: RenderMeta) {
  const style = `font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8px; color: #555; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;`;
  return {
    headerTemplate: `<div style="${style}"><span>${escapeHtml(meta.organizationName)}</span><span>${escapeHtml(meta.title)}</span></div>`,
    footerTemplate: `<div style="${style}"><span>Scheduled Reports · ${escapeHtml(formatInstant(meta.generatedAt, meta.timezone))}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}
