// `npm test`: the static checks (types, format and lint, import rules, config reads, the
// dashboard's svelte-check and unit tests), every test inside workerd, the scripts' own tests
// (test/node, plain Node), then the browser tests of the dashboard. Pass a file filter or
// --no-e2e to run less while developing.
import { bin, ensureAssets, requireNode22, run } from "./lib.mjs";
import { setupChromium } from "./setup-chromium.mjs";

requireNode22();
ensureAssets();
// PDF tests render through the local Browser Rendering binding, which runs Debian's Chromium.
setupChromium();
const args = process.argv.slice(2).filter((a) => a !== "--no-e2e");
try {
  await run(bin("tsc"), ["--noEmit"]);
  // Formatting and lint, without writing (`npx biome check --write` fixes what it can).
  await run(bin("biome"), ["ci"]);
  // Who may import whom, and no import cycle (.dependency-cruiser.cjs).
  await run(bin("depcruise"), ["src", "--config", ".dependency-cruiser.cjs"]);
  await run(process.execPath, ["scripts/check-config-reads.mjs"]);
  await run("npm", ["run", "check", "-w", "web"]);
  await run("npm", ["test", "-w", "web"]);
  await run(bin("vitest"), ["run", ...args]);
  // The provisioning and deploy scripts, with the real wrangler against a stand-in Cloudflare API.
  if (args.length === 0) await run(bin("vitest"), ["run", "--config", "vitest.node.config.ts"]);
  // The dashboard in Debian's Chromium against the app as `npm start` runs it (its own port and state).
  if (!process.argv.includes("--no-e2e")) await run(bin("vitest"), ["run", "--config", "vitest.e2e.config.ts"]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
