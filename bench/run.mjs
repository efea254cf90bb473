// Runs the benchmarks against a local workerd (wrangler dev with bench/wrangler.toml) and writes
// bench/results/latest.json. Usage: npm run bench  (add --quick for smaller sizes).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDemoPostgres } from "../scripts/demo-postgres.mjs";
import { bin, root, run } from "../scripts/lib.mjs";
import { setupChromium } from "../scripts/setup-chromium.mjs";

const quick = process.argv.includes("--quick");
const PORT = 8799;
const BASE = `http://127.0.0.1:${PORT}`;
const STATE = "/tmp/scheduled-reports-bench-state";
const config = ["-c", "bench/wrangler.toml", "--persist-to", STATE];

/** Resident memory of every workerd process, in MiB (the Worker's isolate lives in one of them). */
function workerdRssMiB() {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (!/^Name:\s+workerd$/m.test(status)) continue;
      total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      // the process ended
    }
  }
  return Math.round(total);
}

/** Calls one bench route while sampling memory every 50 ms: its figures plus baseline and peak RSS. */
async function step(name, route) {
  const baseline = workerdRssMiB();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, workerdRssMiB())), 50);
  try {
    const res = await fetch(`${BASE}${route}`, { method: "POST" });
    const body = res.ok ? await res.json() : { error: `${res.status} ${await res.text()}`.slice(0, 500) };
    const result = { step: name, ...body, rssBaselineMiB: baseline, rssPeakMiB: peak };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    clearInterval(sampler);
  }
}

setupChromium();
rmSync(STATE, { recursive: true, force: true });
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
const dev = spawn(bin("wrangler"), ["dev", ...config, "--ip", "127.0.0.1", "--port", String(PORT), "--show-interactive-dev-session=false"], {
  cwd: root,
  stdio: "ignore",
  env: { ...process.env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_BENCH_PG: postgres.url },
});
process.on("exit", () => dev.kill("SIGTERM"));
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${BASE}/`)).status === 404) break;
  } catch {
    if (i > 120) throw new Error("bench worker did not start");
  }
  await new Promise((r) => setTimeout(r, 500));
}

const results = [];
const at = Date.UTC(2026, 10, 30, 9, 0);
for (const n of quick ? [100, 1000] : [100, 1000, 10000]) {
  results.push(await step(`seed ${n} due reports`, `/seed-reports?n=${n}&at=${at}`));
  results.push(await step(`tick with ${n} due reports`, `/tick?at=${at}`));
  results.push(await step(`repeated tick with ${n} due reports`, `/tick?at=${at}`));
}
results.push(await step(`seed ${csvRows} rows`, `/seed-rows?n=${csvRows}`));
results.push(await step(`CSV streamed, ${csvRows} rows x 10 columns`, `/csv-stream?n=${csvRows}`));
results.push(await step(`CSV the naive way, ${csvRows} rows x 10 columns`, `/csv-naive?n=${csvRows}`));
// The same rows through a declared report type (the shared pager), from D1 and from Postgres through Hyperdrive.
results.push(await step(`CSV via a report type from D1, ${csvRows} rows x 10 columns`, `/csv-report-d1?n=${csvRows}`));
results.push(await step(`CSV via a report type from Postgres through Hyperdrive, ${csvRows} rows x 10 columns`, `/csv-report-postgres?n=${csvRows}`));
results.push(await step(`XLSX streamed, ${quick ? 10_000 : 100_000} rows x 10 columns`, `/xlsx?n=${quick ? 10_000 : 100_000}`));
for (const n of quick ? [100, 1000] : [100, 1000, 10000]) {
  results.push(await step(`PDF ${n} rows, first render`, `/pdf?n=${n}`));
  results.push(await step(`PDF ${n} rows, warm`, `/pdf?n=${n}`));
}
const executions = quick ? 100_000 : 1_000_000;
const now = Date.UTC(2026, 10, 28, 12, 0);
results.push(await step(`seed ${executions} executions`, `/seed-executions?n=${executions}&now=${now}`));
results.push(await step(`GET /api/metrics figures over ${executions} executions`, `/metrics?now=${now}`));
results.push(await step(`GET /api/metrics again`, `/metrics?now=${now}`));

const out = path.join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const slim = results.map(({ metrics, ...r }) => r);
writeFileSync(path.join(out, quick ? "quick.json" : "latest.json"), `${JSON.stringify({ date: new Date().toISOString(), cpus: 2, results: slim }, null, 2)}\n`);
dev.kill("SIGTERM");
await postgres.stop();
process.exit(0);
