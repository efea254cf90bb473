// Writes web/build/_headers: the security headers Cloudflare serves with the dashboard's static
// assets (Workers Static Assets read a `_headers` file). The Content-Security-Policy allows scripts
// from this origin only, plus the SvelteKit start-up script inlined in each HTML page, by its hash,
// computed here after every build (so a changed build can never run a script the policy did not see).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const build = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "web", "build");
const hashes = new Set();
for (const file of readdirSync(build).filter((f) => f.endsWith(".html"))) {
  for (const [, script] of readFileSync(path.join(build, file), "utf8").matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    hashes.add(`'sha256-${createHash("sha256").update(script).digest("base64")}'`);
  }
}
const csp = [
  "default-src 'self'",
  `script-src 'self' ${[...hashes].join(" ")}`.trim(),
  // Svelte sets style attributes at run time (transitions); styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
writeFileSync(
  path.join(build, "_headers"),
  `/*
  Content-Security-Policy: ${csp}
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  Permissions-Policy: camera=(), microphone=(), geolocation=()
`,
);
console.log(`web/build/_headers written (${hashes.size} inline script hash${hashes.size === 1 ? "" : "es"})`);
