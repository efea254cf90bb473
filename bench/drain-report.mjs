// Prints the end-to-end benchmark as Markdown tables, ready to paste into BENCHMARKS.md. Also:
// node bench/drain-report.mjs bench/results/drain-<label>.json  (prints a saved run again).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const int = (n) => (n === null || n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const dec = (n, digits = 1) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const secs = (ms) => (ms === null || ms === undefined ? "–" : `${dec(ms / 1000)} s`);
/** Quantities span 1e-6 (GB-months) to 1e5 (rows): three significant digits below 1. */
const qty = (n) => (n >= 100 ? int(n) : n >= 1 ? dec(n, 2) : n === 0 ? "0" : n.toPrecision(3));
const usd = (n) => `$${n < 0.01 ? n.toPrecision(3) : n.toFixed(4)}`;
const table = (head, rows) =>
  [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export function printReport(report) {
  const { cases } = report;
  const load = (c) => `${c.load.before.loadavg[0]} → ${c.load.after.loadavg[0]}`;
  console.log(`\n### Drain (${report.label}, ${report.date.slice(0, 10)}, commit ${report.commit})\n`);
  console.log(
    table(
      [
        "case",
        "runs",
        "deliveries sent",
        "tick",
        "last run completed",
        "last delivery sent",
        "runs/min",
        "deliveries/min",
        "p50 / p95 sent",
        "workerd CPU per run",
        "runs/min per CPU core",
        "load (1 min) before → after",
      ],
      cases.map((c) => [
        c.name,
        int(c.runs),
        `${int(c.deliveries.sent)} / ${int(c.deliveries.expected)}`,
        `${int(c.tickMs)} ms`,
        secs(c.lastRunCompletedMs),
        secs(c.wallMs),
        int(c.runsPerMinute),
        int(c.deliveriesPerMinute),
        `${secs(c.sentMs.p50)} / ${secs(c.sentMs.p95)}`,
        `${int(c.perRun.workerdCpuMs)} ms`,
        // What one busy core would sustain: independent of how much CPU the rest of the machine left us.
        int(60_000 / c.perRun.workerdCpuMs),
        load(c),
      ]),
    ),
  );
  console.log("\n### Per run (counted)\n");
  console.log(
    table(
      [
        "case",
        "D1 round trips",
        "D1 statements",
        "D1 rows read",
        "D1 rows written",
        "queue messages sent",
        "queue operations",
        "R2 class A",
        "R2 class B",
        "DO requests",
        "Worker invocations",
        "workerd CPU ms",
      ],
      cases.map((c) => {
        const p = c.perRun;
        return [
          c.name,
          dec(p.d1RoundTrips),
          dec(p.d1Statements),
          dec(p.d1RowsRead),
          dec(p.d1RowsWritten),
          dec(p.queueMessagesSent),
          dec(p.queueOperations),
          dec(p.r2ClassA),
          dec(p.r2ClassB),
          dec(p.doRequests),
          dec(p.workerInvocations, 2),
          int(p.workerdCpuMs),
        ];
      }),
    ),
  );
  console.log("\n### Queue consumers (local broker: one batch at a time per queue)\n");
  console.log(
    table(
      ["case", "queue", "batches", "messages", "average batch", "largest batch", "retried", "consumer wall per batch"],
      cases.flatMap((c) =>
        Object.entries(c.counters.queues.consumed).map(([queue, q]) => [
          c.name,
          queue,
          int(q.batches),
          int(q.messages),
          dec(q.messages / q.batches),
          int(q.largestBatch),
          int(q.retried),
          `${int(q.wallMs / q.batches)} ms`,
        ]),
      ),
    ),
  );
  for (const c of cases) {
    const runs = c.runs || 1;
    console.log(`\n### Top D1 statements by round trips, ${c.name} (per run)\n`);
    console.log(
      table(
        ["round trips", "rows read", "rows written", "statement"],
        c.counters.d1.top
          .slice(0, 15)
          .map((s) => [
            dec(s.roundTrips / runs, 2),
            dec(s.rowsRead / runs),
            dec(s.rowsWritten / runs),
            `\`${s.sql.slice(0, 180).replaceAll("|", "\\|")}${s.sql.length > 180 ? "…" : ""}\``,
          ]),
      ),
    );
  }
  console.log(`\n### Cost per delivered report (list prices read ${report.prices.readOn})\n`);
  const items = cases[0]?.cost.lines.map((l) => l.item) ?? [];
  console.log(
    table(
      ["item", ...cases.map((c) => `${c.name}: quantity per run`), ...cases.map((c) => `${c.name}: USD per 1,000 runs`)],
      [
        ...items.map((item, i) => [item, ...cases.map((c) => qty(c.cost.lines[i].quantity)), ...cases.map((c) => usd(c.cost.lines[i].usd * 1000))]),
        ["**total**", ...cases.map(() => ""), ...cases.map((c) => `**${usd(c.cost.usd * 1000)}**`)],
        ["**per report**", ...cases.map(() => ""), ...cases.map((c) => `**${usd(c.cost.usd)}**`)],
      ],
    ),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printReport(JSON.parse(readFileSync(process.argv[2], "utf8")));
