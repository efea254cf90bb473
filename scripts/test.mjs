// `npm test`: type-check, then every test inside workerd.
import { bin, ensureAssets, requireNode22, run } from "./lib.mjs";
import { setupChromium } from "./setup-chromium.mjs";

requireNode22();
ensureAssets();
// PDF tests render through the local Browser Rendering binding, which runs Debian's Chromium.
setupChromium();
try {
  await run(bin("tsc"), ["--noEmit"]);
  await run(bin("vitest"), ["run", ...process.argv.slice(2)]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
