// Small helpers shared by the start and test commands (plain Node, no dependencies).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrationSummary } from "./start-output.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function requireNode22() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    console.error(
      `Node ${process.versions.node} is too old: run this through npm (npm start / npm test), which uses the Node 22 that npm install put in node_modules/.bin.`,
    );
    process.exit(1);
  }
}

/**
 * .dev.vars holds local secrets: created from the committed example with a fresh JWT secret and
 * operator token; an existing file from an older version gets the secrets it lacks appended.
 */
export function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  const fresh = () => randomBytes(32).toString("base64url");
  if (!existsSync(file)) {
    copyFileSync(path.join(root, ".dev.vars.example"), file);
    const text = readFileSync(file, "utf8")
      .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${fresh()}`)
      .replace(/^OPERATOR_TOKEN=.*$/m, `OPERATOR_TOKEN=${fresh()}`);
    writeFileSync(file, text);
    console.log("Created .dev.vars with a new JWT secret and operator token.");
    return;
  }
  const text = readFileSync(file, "utf8");
  if (!/^OPERATOR_TOKEN=/m.test(text)) {
    writeFileSync(file, `${text.replace(/\n?$/, "\n")}OPERATOR_TOKEN=${fresh()}\n`);
    console.log("Added an operator token to .dev.vars.");
  }
}

/** wrangler refuses an [assets] directory that does not exist: until the dashboard is built, serve a placeholder. */
export function ensureAssets() {
  const dir = path.join(root, "web", "build");
  if (existsSync(path.join(dir, "index.html"))) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "index.html"),
    '<!doctype html><meta charset="utf-8"><title>Scheduled Reports</title><p>The dashboard has not been built. The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>\n',
  );
}

export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", ...opts });
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}`))));
    child.on("error", reject);
  });
}

export const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Applies the D1 migrations to the local database, printing one summary line (the whole output only if it fails). */
export async function applyLocalMigrations(persistArgs) {
  const output = await new Promise((resolve, reject) => {
    const child = spawn(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persistArgs], {
      cwd: root,
      env: { ...process.env, CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`${text}\nwrangler d1 migrations apply exited with ${code}`))));
  });
  console.log(migrationSummary(output));
}
