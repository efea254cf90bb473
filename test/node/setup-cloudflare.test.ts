import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployProblems } from "../../scripts/deploy-config.mjs";
import { startFakeCloudflareApi } from "../support/fake-cloudflare-api.mjs";

// The README's deploy section, followed with the real wrangler against a stand-in for the
// Cloudflare API: the requests it makes are recorded, and the configuration it writes dry-runs
// with no placeholder left.
const root = path.resolve(import.meta.dirname, "../..");
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const out = `wrangler.production.test-${process.pid}.jsonc`;
let api: Awaited<ReturnType<typeof startFakeCloudflareApi>>;

function node(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_API_BASE_URL: api.url, CLOUDFLARE_API_TOKEN: "stand-in-token", CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CI: "1", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

const setupArgs = [
  "scripts/setup-cloudflare.mjs",
  "--yes",
  "--out",
  out,
  "--app-url",
  "https://reports.acme-corp.dev",
  "--email-from",
  "reports@acme-corp.dev",
  "--operator-email",
  "ops@acme-corp.dev",
  "--hyperdrive",
  "postgres://billing:pw@db.acme-corp.dev:5432/billing",
  "--ratelimit-base",
  "2001",
];
const readConfig = () =>
  JSON.parse(
    readFileSync(path.join(root, out), "utf8")
      .split("\n")
      .filter((l) => !l.startsWith("//"))
      .join("\n"),
  );
const calls = (from = 0) => api.requests.slice(from).map((r) => `${r.method} ${r.path.replace(`/accounts/${ACCOUNT}`, "")}`);

beforeAll(async () => {
  api = await startFakeCloudflareApi();
});
afterAll(async () => {
  rmSync(path.join(root, out), { force: true });
  await api.close();
});

describe("npm run setup:cloudflare --yes", () => {
  it("creates every resource with wrangler, writes their ids into an untracked config that dry-runs with no placeholder, sets strong secrets, and keeps all of it when run again", async () => {
    const first = await node(setupArgs);
    expect(first.output).toContain(`Wrote ${out}`);
    expect(first.code).toBe(0);
    expect(api.requests.filter((r) => r.unknown)).toEqual([]);
    expect(calls()).toEqual([
      "GET /d1/database",
      "POST /d1/database",
      "POST /r2/buckets",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "GET /hyperdrive/configs",
      "POST /hyperdrive/configs",
      "GET /workers/scripts/scheduled-reports/secrets",
      "PUT /workers/scripts/scheduled-reports/secrets",
      "PUT /workers/scripts/scheduled-reports/secrets",
    ]);
    const bodies = api.requests.map((r) => r.body);
    expect(bodies[1]).toEqual({ name: "scheduled-reports" });
    expect(bodies[2]).toMatchObject({ name: "scheduled-reports-files" });
    expect(bodies.slice(3, 8).map((b) => b.queue_name)).toEqual([
      "report-generation",
      "report-generation-heavy",
      "report-delivery",
      "report-generation-dlq",
      "report-delivery-dlq",
    ]);
    expect(bodies[9]).toMatchObject({ name: "billing", origin: { host: "db.acme-corp.dev", port: 5432, database: "billing", user: "billing" } });
    const secrets = api.state.secrets.get("scheduled-reports") ?? new Map<string, string>();
    expect([...secrets.keys()]).toEqual(["JWT_SECRET", "OPERATOR_TOKEN"]);
    for (const value of secrets.values()) expect(value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(secrets.get("JWT_SECRET")).not.toBe(secrets.get("OPERATOR_TOKEN"));
    // The secrets are not printed (a CI log would keep them).
    for (const value of secrets.values()) expect(first.output).not.toContain(value);

    const config = readConfig();
    const [db] = [...api.state.d1.values()];
    const [hd] = [...api.state.hyperdrives.values()];
    if (!db || !hd) throw new Error("the stand-in holds no database or Hyperdrive");
    expect(config.d1_databases[0]).toMatchObject({ binding: "DB", database_id: db.uuid, migrations_dir: "migrations" });
    expect(config.hyperdrive).toEqual([expect.objectContaining({ binding: "BILLING", id: hd.id })]);
    expect(config.vars).toMatchObject({
      APP_URL: "https://reports.acme-corp.dev",
      EMAIL_FROM: "reports@acme-corp.dev",
      OPERATOR_EMAIL: "ops@acme-corp.dev",
      SIGNUP: "closed",
      LOCAL_DEV: "false",
    });
    // One namespace per rate limit of the tracked wrangler.toml, numbered from --ratelimit-base.
    const limits = readFileSync(path.join(root, "wrangler.toml"), "utf8").match(/^\[\[ratelimits\]\]$/gm) ?? [];
    expect(limits.length).toBeGreaterThan(0);
    expect(config.ratelimits.map((r: { namespace_id: string }) => r.namespace_id)).toEqual(limits.map((_, i) => String(2001 + i)));
    expect(deployProblems(config)).toEqual([]);
    expect(readFileSync(path.join(root, out), "utf8")).not.toMatch(/0{32}|0{8}-0{4}|127\.0\.0\.1:8787"|example\.com/);
    // git keeps it out of commits.
    expect(readFileSync(path.join(root, ".gitignore"), "utf8")).toMatch(/^wrangler\.production\*\.jsonc$/m);

    // The generated configuration bundles: wrangler deploy --dry-run, offline (no API call).
    const before = api.requests.length;
    const outdir = mkdtempSync(path.join(tmpdir(), "dry-run-"));
    const dry = await node([path.join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "--config", out]);
    rmSync(outdir, { recursive: true, force: true });
    expect(dry.output).toContain("--dry-run: exiting now.");
    expect(dry.output).toContain(`env.BILLING (${hd.id})`);
    expect(dry.output).not.toMatch(/0{32}/);
    expect(dry.code).toBe(0);
    expect(api.requests.length).toBe(before);

    // Run again: nothing is created twice and no secret is replaced.
    const again = await node(setupArgs);
    expect(again.code).toBe(0);
    expect(calls(before)).toEqual([
      "GET /d1/database",
      "POST /r2/buckets",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "POST /queues",
      "GET /hyperdrive/configs",
      "GET /workers/scripts/scheduled-reports/secrets",
    ]);
    expect(again.output).toContain("Secret JWT_SECRET: already set");
    expect(api.state.d1.size).toBe(1);
    expect(api.state.hyperdrives.size).toBe(1);
    expect(readConfig().d1_databases[0].database_id).toBe(db.uuid);
  });

  it("refuses answers that would deploy and then fail before creating anything", async () => {
    const before = api.requests.length;
    const r = await node(["scripts/setup-cloudflare.mjs", "--yes", "--out", out, "--app-url", "http://127.0.0.1:8787", "--email-from", "reports@example.com"]);
    expect(r.code).toBe(1);
    expect(r.output).toContain("Nothing was created");
    expect(r.output).toContain("APP_URL");
    expect(r.output).toContain("EMAIL_FROM");
    expect(r.output).toContain("OPERATOR_EMAIL");
    expect(api.requests.length).toBe(before);
  });
});

describe("npm run deploy", () => {
  it("refuses the tracked wrangler.toml with one message listing each problem, and touches no account", async () => {
    const before = api.requests.length;
    const r = await node(["scripts/deploy.mjs", "--config", "wrangler.toml"]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/npm run deploy refused: 6 problems in wrangler\.toml:/);
    for (const what of ["D1 database DB", "Hyperdrive BILLING", "APP_URL", "EMAIL_FROM", "OPERATOR_EMAIL", "SIGNUP"]) expect(r.output).toContain(`  - ${what}`);
    expect(r.output).toContain("Nothing was deployed");
    expect(api.requests.length).toBe(before);
  });
});
