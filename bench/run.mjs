// Runs the benchmarks against a local workerd (wrangler dev with bench/wrangler.toml) and writes
// bench/results/latest.json, then the end-to-end drain (bench/drain.mjs: the app itself, due reports
// to delivered ones) into bench/results/drain-latest.json.
// Usage: npm run bench  (add --quick for smaller sizes, --no-drain to leave out the end-to-end part,
// --memory-only for the seeding and the fresh-process CSV/XLSX cases alone, into bench/results/memory.json).
// BENCH_PORT (default 8799) and BENCH_STATE move the bench Worker's port and state directory.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDemoPostgres } from "../scripts/demo-postgres.mjs";
import { bin, root, run } from "../scripts/lib.mjs";
import { setupChromium } from "../scripts/setup-chromium.mjs";
import { machineLoad, startWrangler, workerdUnder } from "./lib.mjs";

const quick = process.argv.includes("--quick");
const memoryOnly = process.argv.includes("--memory-only");
const PORT = Number(process.env.BENCH_PORT ?? 8799);
const BASE = `http://127.0.0.1:${PORT}`;
const STATE = process.env.BENCH_STATE ?? "/tmp/scheduled-reports-bench-state";
const config = ["-c", "bench/wrangler.toml", "--persist-to", STATE];

/** Calls one bench route while sampling the memory of this wrangler's workerd every 50 ms. */
async function step(dev, name, route) {
  const baseline = workerdUnder(dev.pid).rssMiB;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, workerdUnder(dev.pid).rssMiB)), 50);
  try {
    const res = await fetch(`${BASE}${route}`, { method: "POST" });
    const body = res.ok ? await res.json() : { error: `${res.status} ${await res.text()}`.slice(0, 500) };
    const result = { step: name, ...body, rssBaselineMiB: baseline, rssPeakMiB: Math.max(peak, workerdUnder(dev.pid).rssMiB) };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    clearInterval(sampler);
  }
}

setupChromium();
rmSync(STATE, { recursive: true, force: true });
mkdirSync(STATE, { recursive: true });
await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...config], { env: { ...process.env, CI: "1" } });
// Postgres for the Hyperdrive source: PGlite in this process, with the benchmark's rows.
const postgres = await startDemoPostgres({ port: 0 });
const csvRows = quick ? 100_000 : 1_000_000;
await postgres.db.exec(
  "create table if not exists bench_rows (id integer primary key, day date, customer text, region text, product text, quantity integer, price numeric, amount numeric, status text, note text)",
);
await postgres.db.query(
  `insert into bench_rows
   select i, date '2025-01-01' + (i % 700), 'Customer ' || (i % 5000), chr(65 + i % 4) || 'region', 'Product "' || (i % 300) || '", standard',
          1 + i % 9, (i % 1000) / 10.0, (1 + i % 9) * (i % 1000) / 10.0, case i % 10 when 0 then 'refunded' else 'completed' end, 'note, with a comma ' || i
     from generate_series(1, $1::int) as i on conflict do nothing`,
  [csvRows],
);
const startBench = () =>
  startWrangler([...config, "--ip", "127.0.0.1", "--port", String(PORT)], {
    logFile: path.join(STATE, "wrangler.log"),
    env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_BENCH_PG: postgres.url },
    readyUrl: `${BASE}/`,
    readyStatus: 404,
  });

const results = [];
const loadBefore = machineLoad();

// Timings: one process for the tick, PDF and metrics steps (and the seeding of the rows).
{
  const dev = await startBench();
  const at = Date.UTC(2026, 10, 30, 9, 0);
  for (const n of memoryOnly ? [] : quick ? [100, 1000] : [100, 1000, 10000]) {
    results.push(await step(dev, `seed ${n} due reports`, `/seed-reports?n=${n}&at=${at}`));
    results.push(await step(dev, `tick with ${n} due reports`, `/tick?at=${at}`));
    results.push(await step(dev, `repeated tick with ${n} due reports`, `/tick?at=${at}`));
  }
  results.push(await step(dev, `seed ${csvRows} rows`, `/seed-rows?n=${csvRows}`));
  if (!memoryOnly) {
    for (const n of quick ? [100, 1000] : [100, 1000, 10000]) {
      results.push(await step(dev, `PDF ${n} rows, first render`, `/pdf?n=${n}`));
      results.push(await step(dev, `PDF ${n} rows, warm`, `/pdf?n=${n}`));
    }
    const executions = quick ? 100_000 : 1_000_000;
    const now = Date.UTC(2026, 10, 28, 12, 0);
    results.push(await step(dev, `seed ${executions} executions`, `/seed-executions?n=${executions}&now=${now}`));
    results.push(await step(dev, `GET /api/metrics figures over ${executions} executions`, `/metrics?now=${now}`));
    results.push(await step(dev, `GET /api/metrics again`, `/metrics?now=${now}`));
  }
  await dev.stop();
}

// Memory: each CSV and XLSX case in a fresh wrangler dev (the same stored rows), so that its peak is its
// own and not what an earlier case left on the heap. The baseline is the new process right after start.
const xlsxSizes = quick ? [10_000, 50_000] : [100_000, 500_000];
const memoryCases = [
  [`CSV streamed, ${csvRows} rows x 10 columns`, `/csv-stream?n=${csvRows}`],
  [`CSV the naive way, ${csvRows} rows x 10 columns`, `/csv-naive?n=${csvRows}`],
  // The same rows through a declared report type (the shared pager), from D1 and from Postgres through Hyperdrive.
  [`CSV via a report type from D1, ${csvRows} rows x 10 columns`, `/csv-report-d1?n=${csvRows}`],
  [`CSV via a report type from Postgres through Hyperdrive, ${csvRows} rows x 10 columns`, `/csv-report-postgres?n=${csvRows}`],
  ...xlsxSizes.map((n) => [`XLSX streamed, ${n} rows x 10 columns`, `/xlsx?n=${n}`]),
];
for (const [name, route] of memoryCases) {
  const dev = await startBench();
  const result = await step(dev, name, route);
  results.push({ ...result, freshProcess: true });
  await dev.stop();
}

const out = path.join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const slim = results.map(({ metrics, ...r }) => r);
writeFileSync(
  path.join(out, `${memoryOnly ? (quick ? "memory-quick" : "memory") : quick ? "quick" : "latest"}.json`),
  `${JSON.stringify({ date: new Date().toISOString(), cpus: 2, load: { before: loadBefore, after: machineLoad() }, results: slim }, null, 2)}\n`,
);
await postgres.stop();

// End to end: the app itself, N due reports to delivered ones (its own wrangler dev, port and state).
if (!process.argv.includes("--no-drain") && !memoryOnly) {
  const drainArgs = quick ? ["--n", "200", "--xlsx-rows", "10000", "--label", "quick"] : ["--n", "1000,5000", "--label", "latest", "--timeout-min", "75"];
  const code = await new Promise((resolve) =>
    spawn(process.execPath, [path.join(root, "bench", "drain.mjs"), ...drainArgs], { cwd: root, stdio: "inherit" }).on("exit", resolve),
  );
  process.exit(code ?? 1);
}
process.exit(0);
