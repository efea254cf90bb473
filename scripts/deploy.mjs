// `npm run deploy`: refuses a configuration that would deploy and then fail (every problem in one
// message, scripts/deploy-config.mjs), then builds the dashboard, applies the remote D1 migrations
// and deploys the Worker, in that order. Uses wrangler.production.jsonc (written by
// npm run setup:cloudflare) when it exists, else wrangler.toml; --config picks another.
// --public confirms SIGNUP = "open" (anyone may sign up).
import { existsSync } from "node:fs";
import path from "node:path";
import { deployProblems, deploySteps, PRODUCTION_CONFIG, refusal } from "./deploy-config.mjs";
import { bin, requireNode22, root, run } from "./lib.mjs";

requireNode22();
const argv = process.argv.slice(2);
const i = argv.indexOf("--config");
const configPath = i !== -1 ? argv[i + 1] : existsSync(path.join(root, PRODUCTION_CONFIG)) ? PRODUCTION_CONFIG : "wrangler.toml";
try {
  const { experimental_readRawConfig } = await import("wrangler");
  const { rawConfig } = experimental_readRawConfig({ config: path.resolve(root, configPath) });
  const problems = deployProblems(rawConfig, { public: argv.includes("--public") });
  if (problems.length) {
    console.error(refusal(configPath, problems));
    process.exit(1);
  }
  for (const [cmd, args] of deploySteps(configPath)) await run(cmd === "wrangler" ? bin("wrangler") : cmd, args);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
