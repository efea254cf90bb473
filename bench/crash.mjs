// Crash tests: the app started as `npm start` starts it, its whole process group killed (SIGKILL) in
// the middle of (a) a generation, (b) a multipart upload, (c) a delivery to a slow webhook, started
// again on the same state, and the scheduler driven past the working timeout. Each scenario then
// checks that the run completed exactly once, that its file is whole, that every recipient got the
// report, and that a webhook seen more than once carried the same webhook-id each time.
//
// Usage: npm run test:crash   (about 6 minutes; prints a table and writes bench/results/crash.json)
//        npm run test:crash -- upload   (only the scenarios whose name contains "upload")
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { seedBulkInvoices } from "../scripts/demo-postgres.mjs";
import { root } from "../scripts/lib.mjs";

const PORT = Number(process.env.CRASH_PORT ?? 8871);
const BASE = `http://127.0.0.1:${PORT}`;
const HOOK_PORT = PORT + 1;
const MINUTE = 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the app -------------------------------------------------------------------------------

let app = null;
const appLog = { text: "" };
/** Whether the app logged `message` about the execution `id` since it started. */
const logged = (message, id) => appLog.text.split("\n").some((line) => line.includes(`"message":"${message}"`) && line.includes(id));

async function startApp(state) {
  appLog.text = "";
  const child = spawn("npm", ["start"], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), PERSIST_DIR: state, SKIP_WEB_BUILD: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 240 s:\n${output.slice(-2000)}`)), 240_000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes("Scheduled Reports is running at")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-2000)}`)));
  });
  child.removeAllListeners("exit");
  // Keep reading the app's log: a scenario may wait for a line about its run.
  child.stdout.on("data", (c) => (appLog.text += c.toString()));
  child.stderr.on("data", (c) => (appLog.text += c.toString()));
  app = child;
}

/** What a crash is: every process of the app (npm, node, wrangler, workerd) killed at once, no cleanup. */
async function killApp() {
  if (!app) return;
  try {
    process.kill(-app.pid, "SIGKILL");
  } catch {
    // already gone
  }
  app = null;
  // workerd and Chromium may have put themselves in other groups: nothing of this app may survive.
  for (const pid of await pidsUsingPort(PORT)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await sleep(1500);
}

async function pidsUsingPort(port) {
  const { execFileSync } = await import("node:child_process");
  try {
    const out = execFileSync("sh", ["-c", `ss -ltnp 'sport = :${port}' | grep -o 'pid=[0-9]*' | cut -d= -f2`], { encoding: "utf8" });
    return out.split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function api(pathname, { token, method, body } = {}) {
  const res = await fetch(`${BASE}${pathname}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** Fires the scheduler as the cron would, at `at` (ms): the watchdog then judges what is overdue by it. */
async function tick(at) {
  const res = await fetch(`${BASE}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${at}`);
  if (!res.ok) throw new Error(`tick at ${new Date(at).toISOString()} answered ${res.status}`);
}

async function waitFor(what, check, timeoutMs = 60_000, everyMs = 100) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---- the webhook receiver ------------------------------------------------------------------

/** A customer's webhook: records every call; the first `hang` calls never answer (until the crash). */
function webhookReceiver() {
  const calls = [];
  let hang = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      calls.push({ id: req.headers["webhook-id"], at: Date.now(), bytes: Buffer.concat(chunks).length });
      if (hang > 0) {
        hang--;
        return; // hold the connection open: the delivery is in flight
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  return {
    calls,
    hangNext(n) {
      hang = n;
    },
    listen: () => new Promise((r) => server.listen(HOOK_PORT, "127.0.0.1", r)),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
    url: `http://127.0.0.1:${HOOK_PORT}/hooks/reports`,
  };
}

// ---- one scenario --------------------------------------------------------------------------

/** Adds `n` invoices for the organization to the demo billing database (Postgres) that npm start runs. */
async function addInvoices(organizationId, n) {
  const client = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${PORT + 45_542}/postgres?sslmode=disable` });
  await client.connect();
  try {
    await seedBulkInvoices(client, organizationId, n);
  } finally {
    await client.end();
  }
}

async function signUp() {
  const email = `crash-${Date.now()}@example.com`;
  const res = await api("/api/auth/signup", { body: { email, password: "crash-test-password", name: "Crash", organizationName: "Crash tests" } });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${JSON.stringify(res.body)}`);
  await api("/api/settings/sample-data", { token: res.body.token, method: "POST" });
  return { token: res.body.token, organizationId: res.body.organization.id };
}

async function execution(token, id) {
  return (await api(`/api/executions/${id}`, { token })).body;
}

/** Downloads the run's file through a signed link and says whether it is whole. */
async function fileCheck(token, run) {
  const link = await api(`/api/executions/${run.id}/download`, { token });
  if (link.status !== 200) return { whole: false, why: `link ${link.status}` };
  const res = await fetch(link.body.url.startsWith("http") ? link.body.url : `${BASE}${link.body.url}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length !== run.fileSize) return { whole: false, why: `size ${bytes.length} != ${run.fileSize}` };
  if (run.format === "csv") {
    const lines = new TextDecoder().decode(bytes).trimEnd().split("\r\n").length;
    return { whole: lines === run.rowCount + 1, why: `${lines} lines for ${run.rowCount} rows` };
  }
  if (run.format === "pdf") return { whole: new TextDecoder().decode(bytes.slice(-1024)).includes("%%EOF"), why: "PDF trailer" };
  return { whole: bytes[0] === 0x50 && bytes[1] === 0x4b, why: "XLSX zip signature" };
}

async function scenario({ name, report, killWhen, hangWebhook, invoices, state }) {
  const hook = webhookReceiver();
  await hook.listen();
  const started = Date.now();
  try {
    await startApp(state);
    const { token, organizationId } = await signUp();
    if (invoices) await addInvoices(organizationId, invoices);
    const created = await api("/api/scheduled-reports", {
      token,
      body: { schedule: { cron: "0 9 1 1 *", timezone: "UTC" }, recipients: [{ type: "webhook", value: hook.url }], ...report },
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    if (hangWebhook) hook.hangNext(1);
    const run = await api(`/api/scheduled-reports/${created.body.id}/run`, { token, method: "POST" });
    const runId = run.body.executionId;

    // The crash, at the chosen moment.
    const moment = await waitFor(`the moment to crash (${name})`, () => killWhen({ token, runId, hook }), 120_000, 20);
    await killApp();
    // A crash only counts if the run had not finished: the log says whether it completed before.
    const finishedBeforeCrash = logged("generation completed", runId) && !hangWebhook;
    const killedAt = Date.now();

    await startApp(state);
    // Drive the scheduler past the working timeout (15 min) and the delivery retries, as a day of
    // ticks would, checking after each whether everything has arrived.
    let done = null;
    for (const minutes of [1, 16, 31, 46, 61, 76, 91]) {
      await tick(Date.now() + minutes * MINUTE);
      done = await waitFor(
        "the run and its delivery to settle",
        async () => {
          const e = await execution(token, runId);
          const settled = e?.status === "completed" && e.deliveries?.every((d) => d.status !== "pending");
          return settled ? e : null;
        },
        20_000,
        500,
      ).catch(() => null);
      if (done) break;
    }
    const final = done ?? (await execution(token, runId));
    const all = (await api(`/api/scheduled-reports/${created.body.id}/executions?limit=100`, { token })).body.items;
    const file = final?.status === "completed" ? await fileCheck(token, final) : { whole: false, why: `status ${final?.status}` };
    const ids = new Set(hook.calls.map((c) => c.id));
    const result = {
      scenario: name,
      crashedAt: moment,
      finishedBeforeCrash,
      runs: all.length,
      completedRuns: all.filter((e) => e.status === "completed").length,
      status: final?.status,
      attempts: final?.attempt,
      fileSize: final?.fileSize,
      fileWhole: file.whole,
      fileCheck: file.why,
      deliveries: final?.deliveries?.map((d) => d.status) ?? [],
      webhookCalls: hook.calls.length,
      distinctWebhookIds: ids.size,
      recoveredInMs: Date.now() - killedAt,
      totalMs: Date.now() - started,
    };
    result.pass =
      !finishedBeforeCrash &&
      result.runs === 1 &&
      result.completedRuns === 1 &&
      result.fileWhole &&
      result.deliveries.length === 1 &&
      result.deliveries.every((d) => d === "sent") &&
      result.webhookCalls >= 1 &&
      result.distinctWebhookIds === 1;
    return result;
  } finally {
    await killApp();
    await hook.close();
  }
}

// ---- the three faults ----------------------------------------------------------------------

const scenarios = [
  {
    name: "kill during a generation (PDF render)",
    report: { name: "Crash: PDF", reportType: "sales_summary", parameters: { dateRange: "last_quarter" }, format: "pdf" },
    // The consumer logged that it started: the query and the render are under way.
    killWhen: async ({ runId }) => (logged("generation started", runId) ? "right after 'generation started'" : null),
  },
  {
    name: "kill during a multipart upload (large CSV)",
    // 150,000 invoices from the Postgres source: a CSV of about 10 MiB, so two 5 MiB parts at least.
    invoices: 150_000,
    report: { name: "Crash: big CSV", reportType: "invoices", parameters: { dateRange: "custom", from: "2024-12-01", to: "2026-12-31" }, format: "csv" },
    // Well into the run: rows are streaming into R2 part by part.
    killWhen: async ({ runId }) => {
      if (!logged("generation started", runId)) return null;
      await sleep(2500);
      return "2.5 s after 'generation started' (streaming parts to R2)";
    },
  },
  {
    name: "kill during a delivery to a slow webhook",
    report: { name: "Crash: webhook", reportType: "sales_summary", parameters: { dateRange: "last_7_days" }, format: "csv" },
    hangWebhook: true,
    // The receiver has the request and has not answered: the delivery is in flight.
    killWhen: async ({ hook }) => (hook.calls.length >= 1 ? "while the webhook call hangs" : null),
  },
];

// `npm run test:crash -- upload` runs only the scenarios whose name contains "upload".
const only = process.argv[2];
const results = [];
for (const s of scenarios.filter((x) => !only || x.name.includes(only))) {
  const state = mkdtempSync(path.join(os.tmpdir(), "sr-crash-"));
  try {
    const result = await scenario({ ...s, state });
    results.push(result);
    console.log(JSON.stringify(result));
  } catch (err) {
    results.push({ scenario: s.name, pass: false, error: String(err.stack ?? err) });
    console.error(`${s.name}: ${err.stack ?? err}`);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

mkdirSync(path.join(root, "bench", "results"), { recursive: true });
writeFileSync(path.join(root, "bench", "results", "crash.json"), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
console.log("\nscenario | crashed | runs | status | attempts | file whole | deliveries | webhook calls (ids) | recovered in | pass");
for (const r of results) {
  console.log(
    [
      r.scenario,
      r.crashedAt,
      r.runs,
      r.status,
      r.attempts,
      r.fileWhole,
      (r.deliveries ?? []).join(","),
      `${r.webhookCalls} (${r.distinctWebhookIds})`,
      r.recoveredInMs ? `${(r.recoveredInMs / 1000).toFixed(0)} s` : "",
      r.pass,
    ].join(" | "),
  );
}
process.exit(results.every((r) => r.pass) ? 0 : 1);
