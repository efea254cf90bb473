// `npm test`: type-check, then every test inside workerd.
import { bin, ensureAssets, requireNode22, run } from "./lib.mjs";

requireNode22();
ensureAssets();
try {
  await run(bin("tsc"), ["--noEmit"]);
  await run(bin("vitest"), ["run", ...process.argv.slice(2)]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
