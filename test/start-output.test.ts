import { describe, expect, it } from "vitest";
import { createDevOutputFilter, migrationSummary } from "../scripts/start-output.mjs";

// npm start's output: one line for the migrations, nothing the README contradicts, no offline traces.
const table = (rows: string[], done: number) =>
  [
    "┌───────────────────────────────┬────────┐",
    "│ name                          │ status │",
    ...rows.map((r, i) => `├───────────────────────────────┼────────┤\n│ ${r.padEnd(29)} │ ${i < done ? "✅" : "🕒"}     │`),
    "└───────────────────────────────┴────────┘",
  ].join("\n");

describe("migrationSummary", () => {
  it("turns wrangler's table, reprinted after each migration, into one line", () => {
    const names = ["0000_init.sql", "0001_operations.sql", "0002_delivery.sql"];
    const output = ["Migrations to be applied:", ...names.map((_, i) => table(names, i + 1)), "🚣 3 commands executed successfully."].join("\n");
    expect(migrationSummary(output)).toBe("D1 migrations: applied 3 (0000_init.sql … 0002_delivery.sql)");
    expect(migrationSummary(table(["0019_x.sql"], 1))).toBe("D1 migrations: applied 1 (0019_x.sql)");
    expect(migrationSummary("✅ No migrations to apply!")).toBe("D1 migrations: up to date");
  });
});

describe("createDevOutputFilter", () => {
  it("drops wrangler's note that crons do not fire locally (npm start fires them) and keeps the rest", () => {
    const keep = createDevOutputFilter();
    const lines = [
      "⎔ Starting local server...",
      "\u001b[33m▲ [WARNING]\u001b[0m Scheduled Workers are not automatically triggered during local development.",
      "To manually trigger a scheduled event, run:",
      '  curl "http://127.0.0.1:8787/cdn-cgi/local/scheduled"',
      "For more details, see https://developers.cloudflare.com/workers/configuration/cron-triggers/#test-cron-triggers-locally",
      "[wrangler:info] Ready on http://127.0.0.1:8787",
    ];
    expect(lines.filter(keep)).toEqual(["⎔ Starting local server...", "[wrangler:info] Ready on http://127.0.0.1:8787"]);
  });

  it("drops the stack trace of a request to Cloudflare that failed offline, and only that", () => {
    const keep = createDevOutputFilter();
    const lines = [
      "▲ [WARNING] Failed to fetch https://workers.cloudflare.com/cf.json: TypeError: fetch failed",
      "    at fetch (node_modules/undici/index.js:112:13)",
      "    at async fetchCf (node_modules/miniflare/dist/src/index.js:100:5) {",
      "  [cause]: Error: getaddrinfo EAI_AGAIN workers.cloudflare.com",
      "      at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:120:26) {",
      "    errno: -3001,",
      "    code: 'EAI_AGAIN',",
      "  }",
      "}",
      "[wrangler:info] GET /api/health 200 OK (12ms)",
      "Error: a real error of the app",
      "    at handler (src/index.ts:1:1)",
    ];
    expect(lines.filter(keep)).toEqual([
      "[wrangler:info] GET /api/health 200 OK (12ms)",
      "Error: a real error of the app",
      "    at handler (src/index.ts:1:1)",
    ]);
  });
});
