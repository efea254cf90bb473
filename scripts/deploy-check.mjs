// `npm run deploy:check`: proves the bundle deploys (wrangler deploy --dry-run), without an account
// and from a clean clone: the dashboard is built first when web/build has no build of it (wrangler
// refuses an [assets] directory that does not exist). Arguments go to wrangler (e.g. --config
// wrangler.production.jsonc).
import { existsSync } from "node:fs";
import path from "node:path";
import { bin, requireNode22, root, run } from "./lib.mjs";

requireNode22();
try {
  if (!existsSync(path.join(root, "web", "build", "_app"))) await run("npm", ["run", "build", "-w", "web"]);
  await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist", ...process.argv.slice(2)]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
