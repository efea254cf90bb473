import type { ReportType, Row } from "../types";
import { escapeHtml } from "./escape";

const W = 900;
const H = 260;
const PAD = { left: 70, right: 120, top: 16, bottom: 70 };
const COLORS = ["#1f6feb", "#d9480f", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599"];
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

type Chart = NonNullable<ReportType["chart"]>;

/**
 * The report type's natural chart as inline SVG (no scripts, no network): a line per series over
 * x for line charts, horizontal-free vertical bars of the first 15 rows for bar charts.
 */
export function renderChartSvg(chart: Chart, rows: Row[], brandColor?: string): string {
  const colors = brandColor ? [brandColor, ...COLORS] : COLORS;
  if (!rows.length) return "";
  const num = (r: Row) => (typeof r[chart.y] === "number" ? (r[chart.y] as number) : 0);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const parts: string[] = [];

  if (chart.kind === "bar") {
    const bars = rows.slice(0, 15);
    const max = Math.max(...bars.map(num), 1);
    const step = plotW / bars.length;
    bars.forEach((r, i) => {
      const h = (num(r) / max) * plotH;
      const x = PAD.left + i * step + step * 0.15;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${escapeHtml(colors[0])}"/>`,
      );
      // Labels slant so that long names do not run into each other.
      const lx = (x + step * 0.35).toFixed(1);
      const ly = H - PAD.bottom + 12;
      parts.push(
        `<text x="${lx}" y="${ly}" font-size="9" text-anchor="end" transform="rotate(-35 ${lx} ${ly})">${escapeHtml(String(r[chart.x] ?? "").slice(0, 22))}</text>`,
      );
    });
    parts.push(axis(max));
  } else {
    const xs = [...new Set(rows.map((r) => String(r[chart.x])))].sort();
    const seriesOf = (r: Row) => (chart.series ? String(r[chart.series]) : "total");
    const series = [...new Set(rows.map(seriesOf))].sort();
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(`${seriesOf(r)}|${r[chart.x]}`, (sums.get(`${seriesOf(r)}|${r[chart.x]}`) ?? 0) + num(r));
    const max = Math.max(...sums.values(), 1);
    const xAt = (i: number) => PAD.left + (xs.length === 1 ? plotW / 2 : (i / (xs.length - 1)) * plotW);
    series.forEach((s, si) => {
      const points = xs.map((x, i) => `${xAt(i).toFixed(1)},${(PAD.top + plotH - ((sums.get(`${s}|${x}`) ?? 0) / max) * plotH).toFixed(1)}`);
      const color = escapeHtml(colors[si % colors.length]);
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${points.join(" ")}"/>`);
      parts.push(`<text x="${W - PAD.right + 8}" y="${PAD.top + 12 + si * 14}" font-size="10" fill="${color}">${escapeHtml(s)}</text>`);
    });
    const ticks = [0, Math.floor((xs.length - 1) / 2), xs.length - 1].filter((v, i, a) => a.indexOf(v) === i);
    for (const i of ticks)
      parts.push(`<text x="${xAt(i).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="9" text-anchor="middle">${escapeHtml(xs[i])}</text>`);
    parts.push(axis(max));
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(chart.y)} by ${escapeHtml(chart.x)}">${parts.join("")}</svg>`;
}

function axis(max: number): string {
  const y0 = PAD.top + (H - PAD.top - PAD.bottom);
  return [
    `<line x1="${PAD.left}" y1="${y0}" x2="${W - PAD.right}" y2="${y0}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${y0}" stroke="#999"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 8}" font-size="9" text-anchor="end">${compact.format(max)}</text>`,
    `<text x="${PAD.left - 6}" y="${y0}" font-size="9" text-anchor="end">0</text>`,
  ].join("");
}
