// Makes Browser Rendering work locally without downloading Chrome (no internet here, and none
// needed): installs Debian's Chromium where missing, then points every miniflare copy in
// node_modules (wrangler's and the test plugin's) at it by filling the cache folder miniflare
// looks in with a small launcher script. The pinned version is read from each miniflare, never
// hard-coded. Safe to run repeatedly.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./lib.mjs";

const CHROMIUM = "/usr/bin/chromium";

function installChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.platform !== "linux" || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`PDF rendering needs Chromium at ${CHROMIUM}; install it with your package manager.`);
  }
  console.log("Installing Debian's chromium (for PDF reports and browser tests)…");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: "inherit", env });
  run(["apt-get", "update", "-qq"]);
  run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "poppler-utils", "fonts-dejavu-core"]);
}

/** Every miniflare bundled under node_modules, with the Chrome version it pins. */
function pinnedBrowserVersions() {
  const versions = new Set();
  const visit = (dir, depth) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === "miniflare") {
        const index = path.join(full, "dist", "src", "index.js");
        if (existsSync(index)) {
          const match = /var BROWSER_VERSION = "([^"]+)"/.exec(readFileSync(index, "utf8"));
          if (match) versions.add(match[1]);
        }
      } else if (entry.name === "node_modules" || entry.name.startsWith("@") || depth === 0 || dir.endsWith("node_modules")) {
        visit(full, depth + 1);
      }
    }
  };
  visit(path.join(root, "node_modules"), 0);
  return [...versions];
}

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, ".wrangler", "chrome");
}

export function setupChromium() {
  installChromium();
  for (const version of pinnedBrowserVersions()) {
    const dir = path.join(cacheRoot(), `linux-${version}`);
    const bin = path.join(dir, "chrome-linux64", "chrome");
    mkdirSync(path.dirname(bin), { recursive: true });
    writeFileSync(
      bin,
      `#!/bin/sh\n# Written by scripts/setup-chromium.mjs: miniflare's Chrome ${version} is Debian's Chromium here.\nexec ${CHROMIUM} --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run "$@"\n`,
      { mode: 0o755 },
    );
    writeFileSync(path.join(dir, ".miniflare-install-complete"), "");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) setupChromium();
