// `npm start`: the whole app on http://127.0.0.1:8787 with local D1, R2, Queues, Durable Objects
// and Browser Rendering, demo data, and a driver that fires the cron every minute (wrangler dev
// does not fire cron triggers by itself).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { startDemoPostgres } from "./demo-postgres.mjs";
import { applyLocalMigrations, bin, ensureAssets, ensureDevVars, requireNode22, root, run } from "./lib.mjs";
import { setupChromium } from "./setup-chromium.mjs";
import { createDevOutputFilter } from "./start-output.mjs";

requireNode22();
const PORT = Number(process.env.PORT ?? 8787);
// Local D1/R2/Queues/Durable Object state lives here (kept between runs); PERSIST_DIR moves it.
const persistDir = process.env.PERSIST_DIR ?? ".wrangler/state";
const persist = ["--persist-to", persistDir];
// The demo billing database (Postgres, as PGlite) for the BILLING Hyperdrive binding: its port
// follows PORT so that two instances do not collide.
const PG_PORT = Number(process.env.PG_PORT ?? PORT + 45_542);
const BASE = `http://127.0.0.1:${PORT}`;

ensureDevVars();
// The dashboard is built into web/build, which the Worker serves as static assets. SKIP_WEB_BUILD=1
// reuses an existing build (the crash tests restart the app several times).
const built = existsSync(path.join(root, "web", "build", "_app"));
if (existsSync(path.join(root, "web", "src")) && !(process.env.SKIP_WEB_BUILD === "1" && built)) await run("npm", ["run", "build", "-w", "web"]);
ensureAssets();
setupChromium();
await applyLocalMigrations(persist);

const postgres = await startDemoPostgres({ port: PG_PORT, dataDir: path.join(persistDir, "pglite") });

const dev = spawn(
  bin("wrangler"),
  ["dev", "--ip", "127.0.0.1", "--port", String(PORT), ...persist, "--var", `APP_URL:${BASE}`, "--show-interactive-dev-session=false"],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_BILLING: postgres.url },
  },
);
// wrangler's output, less what is wrong for npm start (scripts/start-output.mjs).
for (const [from, to] of [
  [dev.stdout, process.stdout],
  [dev.stderr, process.stderr],
]) {
  const keep = createDevOutputFilter();
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    if (keep(line)) to.write(`${line}\n`);
  });
}
const stop = async () => {
  dev.kill("SIGTERM");
  await postgres.stop().catch(() => {});
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 1));

async function waitForHealth() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("wrangler dev did not answer within 60 s");
}

await waitForHealth();
// The seed route answers with the demo login, so it needs the local operator token (.dev.vars).
const operatorToken = /^OPERATOR_TOKEN=(.+)$/m.exec(readFileSync(path.join(root, ".dev.vars"), "utf8"))?.[1]?.trim();
const seeded = await fetch(`${BASE}/api/dev/seed`, { method: "POST", headers: { authorization: `Bearer ${operatorToken}` } });
if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
const { login, counts, seedMs } = await seeded.json();
console.log(`
  Scheduled Reports is running at ${BASE}
  Demo login: ${login.email} / ${login.password}
  Demo data: ${counts.orders} orders, ${counts.customers} customers, ${counts.products} products, ${counts.tickets} tickets (${seedMs} ms)
  Demo billing database (Postgres through Hyperdrive, PGlite on ${postgres.url.replace(/^.*@/, "").replace(/\/.*$/, "")}): ${postgres.seeded.invoices} invoices
  API description: ${BASE}/api/openapi.json
  Operator API: ${BASE}/api/operator/organizations with the OPERATOR_TOKEN from .dev.vars
  The scheduler runs at every minute boundary. Stop with Ctrl+C.
`);

// The cron driver: one scheduled event per minute, with the minute as controller.scheduledTime.
function scheduleNextTick() {
  const now = Date.now();
  const next = Math.floor(now / 60_000) * 60_000 + 60_000;
  setTimeout(async () => {
    try {
      const res = await fetch(`${BASE}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${next}`);
      if (!res.ok) console.error(`scheduler tick at ${new Date(next).toISOString()} answered ${res.status}`);
    } catch (err) {
      console.error(`scheduler tick failed: ${err.message}`);
    }
    scheduleNextTick();
  }, next - now);
}
scheduleNextTick();
