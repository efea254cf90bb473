// End to end: N reports due in the same minute, from one scheduler tick to the last delivery marked
// sent, through the real queue consumers of the app (root wrangler.toml) on local workerd, with the
// billable operations counted by the app's own counting bindings (BENCH_COUNTERS, src/lib/instrument/).
//
// Usage: npm run bench:drain -- --n 1000,5000 [--label before] [--xlsx-rows 100000 | --no-xlsx]
//        [--per-org 100] [--port 8961] [--timeout-min 60]
// Writes bench/results/drain-<label>.json and prints tables to paste into BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { bin, ensureAssets, ensureDevVars, requireNode22, root } from "../scripts/lib.mjs";
import { ASSUMPTIONS, costPerRun, PRICES, PRICES_READ_ON } from "./cost.mjs";
import { printReport } from "./drain-report.mjs";
import { csvReportsSql, xlsxReportSql } from "./drain-seed.mjs";
import { machineLoad, sleep, startWrangler, workerdUnder } from "./lib.mjs";

requireNode22();
// node:sqlite reads the local D1 file once wrangler has stopped; its "experimental" notice is noise here.
const { emitWarning } = process;
process.emitWarning = (warning, ...rest) => (String(warning).includes("SQLite") ? undefined : emitWarning.call(process, warning, ...rest));
const { DatabaseSync } = await import("node:sqlite");

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const sizes = String(option("n", "1000,5000"))
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const label = String(option("label", "latest")).replace(/[^\w.-]/g, "_");
const xlsxRows = process.argv.includes("--no-xlsx") ? 0 : Number(option("xlsx-rows", 100_000));
const perOrg = Number(option("per-org", 100));
const PORT = Number(option("port", 8961));
const timeoutMs = Number(option("timeout-min", 60)) * 60_000;
const BASE = `http://127.0.0.1:${PORT}`;
const HOOK_PORT = PORT + 1;
const HOOK_URL = `http://127.0.0.1:${HOOK_PORT}`;
/** No progress (no counter moved, no delivery arrived) for this long ends a case as stalled. */
const STALL_MS = 150_000;

// ---- the recipients: one local HTTP server answering every webhook 200 -------------------------

const received = { total: 0, paths: new Set(), first: null, last: null };
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.total++;
    received.paths.add(req.url);
    received.first ??= Date.now();
    received.last = Date.now();
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
});
await new Promise((r) => receiver.listen(HOOK_PORT, "127.0.0.1", r));

// ---- helpers ---------------------------------------------------------------------------------

const wrangler = (args, opts = {}) =>
  execFileSync(bin("wrangler"), args, { cwd: root, env: { ...process.env, CI: "1" }, maxBuffer: 512 * 1024 * 1024, encoding: "utf8", ...opts });

/** The app's local D1 database (a SQLite file under the state directory), opened once wrangler is not using it. */
function openD1(dir) {
  const base = path.join(dir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(base).find((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
  if (!file) throw new Error(`no D1 database under ${base}`);
  return new DatabaseSync(path.join(base, file));
}

/** What the database holds, in bytes: its pages in use (tables and indexes), not the file's slack. */
function d1UsedBytes(dir) {
  const db = openD1(dir);
  try {
    const pragma = (name) => Object.values(db.prepare(`pragma ${name}`).get())[0];
    return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
  } finally {
    db.close();
  }
}

function query(dir, sql) {
  const db = openD1(dir);
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const getJson = async (url, init) => {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
};

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

// ---- one case --------------------------------------------------------------------------------

async function runCase({ name, runs, recipientsPerRun, seedSql }) {
  const dir = `/tmp/drain-bench-${label}-${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, "wrangler.log");
  console.log(`\n== ${name}: ${runs} run(s), ${runs * recipientsPerRun} deliveries (state ${dir})`);
  // The tick's minute: the next one, so that every report is due exactly then.
  const at = Math.ceil(Date.now() / 60_000) * 60_000;
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], { stdio: ["ignore", "ignore", "inherit"] });
  const seedFile = path.join(dir, "seed.sql");
  writeFileSync(seedFile, seedSql(at));
  const seedStarted = Date.now();
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", dir, "--file", seedFile], { stdio: ["ignore", "ignore", "inherit"] });
  console.log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
  const dbBytesBefore = d1UsedBytes(dir);
  const DBSTAT = "select name, sum(pgsize) as bytes from dbstat group by name";
  const tablesBefore = Object.fromEntries(query(dir, DBSTAT).map((r) => [r.name, r.bytes]));

  const dev = await startWrangler(
    ["--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", dir, "--var", `APP_URL:${BASE}`, "--var", "LOCAL_DEV:true", "--var", "BENCH_COUNTERS:true"],
    {
      logFile,
      readyUrl: `${BASE}/api/health`,
      // No report here reads the BILLING Postgres: a closed port keeps wrangler from looking for one.
      env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_BILLING: "postgresql://postgres:postgres@127.0.0.1:9/postgres?sslmode=disable" },
    },
  );
  try {
    const started = await getJson(`${BASE}/api/dev/counters?top=0`);
    if (!started.enabled) throw new Error("the app does not count (BENCH_COUNTERS is not on)");
    Object.assign(received, { total: 0, paths: new Set(), first: null, last: null });
    const loadBefore = machineLoad();
    await getJson(`${BASE}/api/dev/counters/reset`, { method: "POST" });
    const before = workerdUnder(dev.pid);
    let rssPeakMiB = before.rssMiB;
    // Once a second: a scan of /proc takes ~20 ms of this process, which also answers the webhooks.
    const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, workerdUnder(dev.pid).rssMiB)), 1000);

    const tickAt = Date.now();
    const tick = await fetch(`${BASE}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${at}`);
    const tickMs = Date.now() - tickAt;
    if (!tick.ok) throw new Error(`the scheduler tick answered ${tick.status}: ${await tick.text()}`);
    console.log(`tick took ${tickMs} ms`);

    // Done when every delivery has arrived and nothing has moved for 3 s (the last ones are marked sent).
    const expected = runs * recipientsPerRun;
    let lastSignature = "";
    let lastChange = Date.now();
    let stable = 0;
    let outcome = "drained";
    for (let i = 0; ; i++) {
      await sleep(1000);
      const c = await getJson(`${BASE}/api/dev/counters?top=0`);
      const signature = `${c.d1.roundTrips}/${c.queues.operations.total}/${received.total}`;
      if (signature !== lastSignature) {
        lastSignature = signature;
        lastChange = Date.now();
        stable = 0;
      } else stable++;
      if (i % 15 === 0)
        console.log(`  ${Math.round((Date.now() - tickAt) / 1000)} s: ${received.total}/${expected} delivered, ${c.d1.roundTrips} D1 round trips`);
      if (received.total >= expected && stable >= 3) break;
      if (Date.now() - lastChange > STALL_MS) {
        outcome = "stalled";
        break;
      }
      if (Date.now() - tickAt > timeoutMs) {
        outcome = "timed out";
        break;
      }
    }
    clearInterval(sampler);
    const after = workerdUnder(dev.pid);
    const counted = await getJson(`${BASE}/api/dev/counters?top=1000`);
    const loadAfter = machineLoad();
    await dev.stop();

    const [facts] = query(
      dir,
      `select (select count(*) from report_executions) as executions,
              (select count(*) from report_executions where status = 'completed') as completed,
              (select max(completed_at) from report_executions) as last_completed,
              (select sum(file_size) from report_executions) as file_bytes,
              (select sum(row_count) from report_executions) as rows,
              (select count(*) from report_deliveries) as deliveries,
              (select count(*) from report_deliveries where status = 'sent') as sent,
              (select count(*) from delivery_attempts) as attempts`,
    );
    const sentAt = query(dir, "select delivered_at as t from report_deliveries where status = 'sent' order by delivered_at").map((r) => r.t - tickAt);
    const completedAt = query(dir, "select completed_at as t from report_executions where status = 'completed' order by completed_at").map((r) => r.t - tickAt);
    // Where the database grew: bytes per table and index over the drain (dbstat), most first.
    const grewBy = query(dir, DBSTAT)
      .map((r) => ({ name: r.name, bytes: r.bytes - (tablesBefore[r.name] ?? 0) }))
      .filter((t) => t.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    const dbBytesAfter = d1UsedBytes(dir);
    const wallMs = sentAt.at(-1) ?? null;
    const n = facts.completed || 1;
    const c = counted;
    const workerInvocations = c.invocations.fetch + c.invocations.scheduled + c.invocations.queue;
    const perRun = {
      d1RoundTrips: c.d1.roundTrips / n,
      d1Statements: c.d1.statements / n,
      d1RowsRead: c.d1.rowsRead / n,
      d1RowsWritten: c.d1.rowsWritten / n,
      queueMessagesSent: Object.values(c.queues.sent).reduce((s, q) => s + q.messages, 0) / n,
      queueOperations: c.queues.operations.total / n,
      r2ClassA: c.r2.classA / n,
      r2ClassB: c.r2.classB / n,
      doRequests: c.durableObjects.requests / n,
      workerInvocations: workerInvocations / n,
      workerdCpuMs: ((after.cpuSeconds - before.cpuSeconds) * 1000) / n,
      fileBytes: (facts.file_bytes ?? 0) / n,
      d1Bytes: Math.max(0, dbBytesAfter - dbBytesBefore) / n,
    };
    const result = {
      name,
      outcome,
      runs: facts.completed,
      executions: facts.executions,
      deliveries: {
        expected,
        rows: facts.deliveries,
        sent: facts.sent,
        attempts: facts.attempts,
        receivedRequests: received.total,
        distinctUrls: received.paths.size,
      },
      rowsPerRun: facts.rows / n,
      tickAt: new Date(tickAt).toISOString(),
      scheduledFor: new Date(at).toISOString(),
      tickMs,
      wallMs,
      runsPerMinute: wallMs ? (facts.completed / wallMs) * 60_000 : null,
      deliveriesPerMinute: wallMs ? (facts.sent / wallMs) * 60_000 : null,
      lastRunCompletedMs: completedAt.at(-1) ?? null,
      sentMs: { p50: percentile(sentAt, 50), p95: percentile(sentAt, 95), last: wallMs },
      completedMs: { p50: percentile(completedAt, 50), p95: percentile(completedAt, 95), last: completedAt.at(-1) ?? null },
      workerd: {
        rssBaselineMiB: before.rssMiB,
        rssPeakMiB,
        cpuSeconds: Math.round((after.cpuSeconds - before.cpuSeconds) * 100) / 100,
        processes: after.processes,
      },
      d1Bytes: { before: dbBytesBefore, after: dbBytesAfter, grewBy },
      load: { before: loadBefore, after: loadAfter },
      perRun,
      cost: costPerRun(perRun),
      counters: counted,
    };
    console.log(
      `${outcome}: ${facts.sent}/${expected} sent in ${wallMs === null ? "-" : (wallMs / 1000).toFixed(1)} s, ${result.runsPerMinute?.toFixed(0) ?? "-"} runs/min`,
    );
    return result;
  } finally {
    await dev.stop();
  }
}

// ---- the cases -------------------------------------------------------------------------------

ensureDevVars();
ensureAssets();
const cases = [];
for (const n of sizes) {
  cases.push(
    await runCase({
      name: `csv-${n}`,
      runs: n,
      recipientsPerRun: 2,
      seedSql: (at) => csvReportsSql({ n, perOrg, at, hookUrl: HOOK_URL }),
    }),
  );
}
if (xlsxRows > 0) {
  cases.push(
    await runCase({
      name: `xlsx-${xlsxRows}`,
      runs: 1,
      recipientsPerRun: 1,
      seedSql: (at) => xlsxReportSql({ rows: xlsxRows, at, hookUrl: HOOK_URL }),
    }),
  );
}
receiver.close();

const wranglerToml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
const consumers = [...wranglerToml.matchAll(/\[\[queues\.consumers\]\]\n((?:[a-z_]+ = .+\n)+)/g)].map((m) =>
  Object.fromEntries(
    m[1]
      .trim()
      .split("\n")
      .map((l) => l.split(" = ").map((s) => s.replace(/^"|"$/g, ""))),
  ),
);
const report = {
  label,
  date: new Date().toISOString(),
  commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim(),
  machine: { cpus: machineLoad().cpus, node: process.version },
  setup: {
    perOrg,
    recipients: "webhooks to a local HTTP receiver (127.0.0.1), answered 200 at once",
    csvReport: "sales_summary, last 30 days, CSV, 2 webhook recipients",
    xlsxReport: xlsxRows ? `order_details, ${xlsxRows} rows, XLSX, 1 webhook recipient` : null,
    queueConsumers: consumers,
  },
  prices: { readOn: PRICES_READ_ON, ...PRICES },
  assumptions: ASSUMPTIONS,
  cases,
};
const out = path.join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const file = path.join(out, `drain-${label}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
printReport(report);
console.log(`\nWrote ${path.relative(root, file)}`);
process.exit(cases.every((c) => c.outcome === "drained") ? 0 : 1);
