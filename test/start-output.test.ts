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
    // As wrangler 4.164 prints it.
    const lines = [
      "⎔ Starting local server...",
      "\u001b[33m▲ \u001b[43;33m[\u001b[43;30mWARNING\u001b[43;33m]\u001b[0m \u001b[1mScheduled Workers are not automatically triggered during local development.\u001b[0m",
      "",
      "  To manually trigger a scheduled event, run:",
      '    curl "http://127.0.0.1:8787/cdn-cgi/local/scheduled"',
      "  For more details, see \u001b[4mhttps://developers.cloudflare.com/workers/configuration/cron-triggers/#test-cron-triggers-locally\u001b[0m",
      "[wrangler:info] Ready on http://127.0.0.1:8787",
    ];
    expect(lines.filter(keep)).toEqual(["⎔ Starting local server...", "[wrangler:info] Ready on http://127.0.0.1:8787"]);
  });

  it("drops the stack trace of wrangler's request to workers.cloudflare.com that fails offline, and only that", () => {
    const keep = createDevOutputFilter();
    // As wrangler 4.164 prints it offline (twice: before and after the bindings table).
    const trace = [
      "[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...",
      "Error: getaddrinfo ENOTFOUND workers.cloudflare.com",
      "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)",
      "    at GetAddrInfoReqWrap.callbackTrampoline (node:internal/async_hooks:130:17)",
    ];
    const lines = [...trace, "[wrangler:info] GET /api/health 200 OK (12ms)", ...trace, "Error: a real error of the app", "    at handler (src/index.ts:1:1)"];
    const warning = trace[0];
    expect(lines.filter(keep)).toEqual([
      warning,
      "[wrangler:info] GET /api/health 200 OK (12ms)",
      warning,
      "Error: a real error of the app",
      "    at handler (src/index.ts:1:1)",
    ]);
  });
});
