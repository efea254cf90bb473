// Every variable is read through config(env) (src/config.ts), parsed once with zod. This fails when
// code outside the config module reads a [vars] entry or secret straight from env: bindings (DB,
// queues, R2, Durable Objects, limiters, the browser, assets) are the only env members it may touch.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./lib.mjs";

const BINDINGS = new Set([
  "DB",
  "REPORTS",
  "GENERATION_QUEUE",
  "HEAVY_GENERATION_QUEUE",
  "DELIVERY_QUEUE",
  "REPORT_LOCK",
  "HEARTBEAT",
  "BROWSER",
  "ASSETS",
  "AUTH_LIMITER",
  "API_LIMITER",
  "ORG_API_LIMITER",
  "RUN_LIMITER",
  "SEND_LIMITER",
  "DOWNLOAD_LIMITER",
  "EMAIL",
]);
const ALLOWED_FILES = new Set(["src/config.ts", "src/worker-configuration.d.ts"]);

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const problems = [];
for (const file of files(path.join(root, "src")).filter((f) => f.endsWith(".ts"))) {
  const rel = path.relative(root, file);
  if (ALLOWED_FILES.has(rel)) continue;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      for (const m of line.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) {
        if (!BINDINGS.has(m[1])) problems.push(`${rel}:${i + 1}: reads env.${m[1]}; use config(env) from src/config.ts`);
      }
    });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("config reads: every variable goes through config(env)");
