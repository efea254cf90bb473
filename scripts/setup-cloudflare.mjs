// `npm run setup:cloudflare`: provisions a Cloudflare account for this app with wrangler and writes
// the production configuration that `npm run deploy` uses. Creates the D1 database, the R2 bucket,
// every queue with its dead letter queue and (given a connection string) the BILLING Hyperdrive;
// writes wrangler.production.jsonc (gitignored) from the tracked wrangler.toml with their ids and
// the answers below; sets the secrets the Worker needs, generating strong ones. Safe to run again:
// what exists is kept (a database or Hyperdrive of the same name is reused, secrets already set are
// not replaced unless --rotate-secrets).
//
// Interactive by default; --yes asks nothing and takes every answer from flags or the environment:
//   --app-url / APP_URL              the dashboard's public https address
//   --email-from / EMAIL_FROM        the sender, at a domain onboarded for sending
//   --operator-email / OPERATOR_EMAIL  who hears of system-wide alerts
//   --signup / SIGNUP                closed (default: organizations come from the operator API) or open
//   --hyperdrive / BILLING_CONNECTION_STRING  postgres://… for the BILLING source (omit: no Hyperdrive)
//   --ratelimit-base / RATELIMIT_BASE  first rate-limit namespace_id (default 1001; unique in the account)
//   --out                            the file to write (default wrangler.production.jsonc)
// Secrets: JWT_SECRET and OPERATOR_TOKEN are generated unless given in the environment (the operator
// token is printed once, interactively); RESEND_API_KEY, SENDGRID_API_KEY, RESEND_WEBHOOK_SECRET and
// SENDGRID_WEBHOOK_PUBLIC_KEY are set when given in the environment. wrangler needs a login
// (npx wrangler login) or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { createdId, deployProblems, PRODUCTION_CONFIG, productionConfig, queueNames } from "./deploy-config.mjs";
import { bin, requireNode22, root } from "./lib.mjs";

requireNode22();
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return argv[i].includes("=") ? argv[i].slice(argv[i].indexOf("=") + 1) : argv[i + 1];
};
const yes = argv.includes("--yes") || argv.includes("-y");
const rotate = argv.includes("--rotate-secrets");
const out = path.resolve(root, flag("out") ?? PRODUCTION_CONFIG);
const outName = path.relative(root, out);

/** Runs wrangler, its output captured (and shown on failure); resolves to { code, output }. */
function wrangler(args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin("wrangler"), args, { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.stdin.end(input ?? "");
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function must(args, what, opts) {
  const r = await wrangler(args, opts);
  if (r.code !== 0) {
    console.error(r.output.trim());
    throw new Error(`${what} failed (npx wrangler ${args.join(" ")})`);
  }
  return r.output;
}

const exists = (output) => /already exists|already taken|code: (10004|11009|7502)\b/i.test(output);

async function ask() {
  const given = {
    appUrl: flag("app-url") ?? process.env.APP_URL,
    emailFrom: flag("email-from") ?? process.env.EMAIL_FROM,
    operatorEmail: flag("operator-email") ?? process.env.OPERATOR_EMAIL,
    signup: flag("signup") ?? process.env.SIGNUP ?? (yes ? "closed" : undefined),
    hyperdrive: argv.includes("--no-hyperdrive") ? "" : (flag("hyperdrive") ?? process.env.BILLING_CONNECTION_STRING ?? (yes ? "" : undefined)),
    ratelimitBase: flag("ratelimit-base") ?? process.env.RATELIMIT_BASE ?? (yes ? "1001" : undefined),
  };
  if (yes) return given;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const q = async (key, question, fallback = "") => {
    if (given[key] !== undefined) return;
    const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `)).trim();
    given[key] = answer || fallback;
  };
  await q("appUrl", "The dashboard's public https address (e.g. https://reports.your-company.com)");
  await q("emailFrom", "The sender address, at a domain onboarded for sending (e.g. reports@your-company.com)");
  await q("operatorEmail", "Who hears of system-wide alerts (an address your operators read)");
  await q("signup", 'Sign-up: "closed" (organizations come from the operator API) or "open" (anyone)', "closed");
  await q("hyperdrive", "Postgres connection string for the BILLING source (empty: no Hyperdrive)");
  await q("ratelimitBase", "First rate-limit namespace_id (unique in the account; another deployment in it needs another)", "1001");
  rl.close();
  return given;
}

try {
  const { experimental_readRawConfig } = await import("wrangler");
  const { rawConfig } = experimental_readRawConfig({ config: path.join(root, "wrangler.toml") });
  const answers = await ask();
  // Check the answers before creating anything: the same rules npm run deploy applies.
  const preview = productionConfig(rawConfig, { ...answers, d1Id: "pending-id", hyperdriveId: answers.hyperdrive ? "pending-id" : null });
  const wrong = deployProblems(preview, { public: true }).filter((p) => !p.startsWith("D1 database") && !p.startsWith("Hyperdrive"));
  if (!["open", "closed"].includes(answers.signup)) wrong.push(`--signup must be "open" or "closed", not "${answers.signup}".`);
  if (!/^\d+$/.test(String(answers.ratelimitBase))) wrong.push(`--ratelimit-base must be a positive integer, not "${answers.ratelimitBase}".`);
  if (wrong.length) throw new Error(`Nothing was created:\n${wrong.map((p) => `  - ${p}`).join("\n")}`);

  const d1 = rawConfig.d1_databases.find((d) => d.binding === "DB");
  console.log(`D1 database ${d1.database_name}`);
  const list = JSON.parse(await must(["d1", "list", "--json"], "Listing D1 databases"));
  let d1Id = list.find((d) => d.name === d1.database_name)?.uuid ?? null;
  if (d1Id) console.log(`  exists: ${d1Id}`);
  else {
    d1Id = createdId(await must(["d1", "create", d1.database_name], "Creating the D1 database"), "d1");
    if (!d1Id) throw new Error("wrangler d1 create printed no database_id");
    console.log(`  created: ${d1Id}`);
  }

  for (const b of rawConfig.r2_buckets ?? []) {
    const r = await wrangler(["r2", "bucket", "create", b.bucket_name]);
    if (r.code !== 0 && !exists(r.output)) throw new Error(`Creating the R2 bucket ${b.bucket_name} failed:\n${r.output}`);
    console.log(`R2 bucket ${b.bucket_name}: ${r.code === 0 ? "created" : "exists"}`);
  }
  for (const name of queueNames(rawConfig)) {
    const r = await wrangler(["queues", "create", name]);
    if (r.code !== 0 && !exists(r.output)) throw new Error(`Creating the queue ${name} failed:\n${r.output}`);
    console.log(`Queue ${name}: ${r.code === 0 ? "created" : "exists"}`);
  }

  let hyperdriveId = null;
  const hd = (rawConfig.hyperdrive ?? [])[0];
  if (answers.hyperdrive && hd) {
    const name = "billing";
    const listed = await wrangler(["hyperdrive", "list"]);
    hyperdriveId = listed.code === 0 ? (listed.output.match(new RegExp(`([0-9a-f]{32})\\s*│\\s*${name}\\s*│`))?.[1] ?? null) : null;
    if (hyperdriveId) console.log(`Hyperdrive ${name}: exists (${hyperdriveId})`);
    else {
      hyperdriveId = createdId(
        await must(["hyperdrive", "create", name, `--connection-string=${answers.hyperdrive}`], "Creating the Hyperdrive"),
        "hyperdrive",
      );
      if (!hyperdriveId) throw new Error("wrangler hyperdrive create printed no id");
      console.log(`Hyperdrive ${name}: created (${hyperdriveId})`);
    }
  } else console.log("Hyperdrive: none (the BILLING report types are not offered; run again with --hyperdrive=postgres://… to add it)");

  const config = productionConfig(rawConfig, { ...answers, ratelimitBase: Number(answers.ratelimitBase), d1Id, hyperdriveId });
  const header = `// Generated by npm run setup:cloudflare from wrangler.toml (${new Date().toISOString()}); not tracked.\n// npm run deploy uses it. Edit wrangler.toml and run the setup again, or edit this file.\n`;
  writeFileSync(out, `${header}${JSON.stringify(config, null, 2)}\n`);
  console.log(`Wrote ${outName}`);

  // Secrets: set on the Worker named in the configuration (wrangler creates it as a draft if it
  // has not been deployed yet). Values already set are kept unless --rotate-secrets.
  const listed = await wrangler(["secret", "list", "--format", "json", "--config", out]);
  const have = new Set(listed.code === 0 ? JSON.parse(listed.output.slice(listed.output.indexOf("["))).map((s) => s.name) : []);
  const strong = () => randomBytes(48).toString("base64url");
  const secrets = [
    ["JWT_SECRET", process.env.JWT_SECRET ?? strong()],
    ["OPERATOR_TOKEN", process.env.OPERATOR_TOKEN ?? strong()],
    ...["RESEND_API_KEY", "SENDGRID_API_KEY", "RESEND_WEBHOOK_SECRET", "SENDGRID_WEBHOOK_PUBLIC_KEY"]
      .filter((k) => process.env[k])
      .map((k) => [k, process.env[k]]),
  ];
  for (const [name, value] of secrets) {
    if (have.has(name) && !rotate) {
      console.log(`Secret ${name}: already set (kept; --rotate-secrets replaces it)`);
      continue;
    }
    await must(["secret", "put", name, "--config", out], `Setting the secret ${name}`, { input: `${value}\n` });
    const shown = name === "OPERATOR_TOKEN" && !process.env.OPERATOR_TOKEN && !yes && process.stdout.isTTY;
    console.log(`Secret ${name}: set${shown ? ` (keep it, it is shown only now: ${value})` : ""}`);
  }
  const left = deployProblems(config, { public: config.vars.SIGNUP === "open" });
  console.log(
    left.length
      ? `\nStill to fix before npm run deploy:\n${left.map((p) => `  - ${p}`).join("\n")}`
      : `\nReady: npm run deploy${config.vars.SIGNUP === "open" ? " -- --public" : ""}`,
  );
  if (!existsSync(path.join(root, ".gitignore"))) console.warn(`${outName} holds no secrets, but keep it out of version control.`);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
