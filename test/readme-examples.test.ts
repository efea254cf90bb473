import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
// The files as text (vite's ?raw), to compare with what the README shows.
import readme from "../README.md?raw";
import { isSourceConfigured, parametersJsonSchema } from "../src/reports/registry";
import { readReport } from "./support/demo-reports";
import { openTickets } from "./support/readme/open-tickets";
import openTicketsFile from "./support/readme/open-tickets.ts?raw";
import seedFile from "./support/readme/product-seed.sql?raw";
import { unpaidInvoices } from "./support/readme/unpaid-invoices";
import unpaidInvoicesFile from "./support/readme/unpaid-invoices.ts?raw";

// The README's "Report on your own data" shows a Postgres and a D1 report type and the local data
// for the D1 one. Those examples are files here, imported and run, and the README must show them
// as they are: an example that no longer compiles or registers fails this test, and so does a
// README that drifted from the files.

/** The fenced blocks of one language in the README's section on reporting over your own data. */
function blocks(language: string): string[] {
  const start = readme.indexOf("\n## Report on your own data\n");
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");
}
/** A file from the first line that starts with `marker` on: the README leaves out the header and imports. */
const from = (file: string, marker: string) => file.slice(file.indexOf(`\n${marker}`) + 1);

describe("the README's own-data examples", () => {
  it("shows the Postgres and the D1 report types and the D1 seed exactly as the tested files hold them", () => {
    const ts = blocks("ts");
    expect(ts).toContain(from(openTicketsFile, "export const"));
    expect(ts).toContain(from(unpaidInvoicesFile, "export const"));
    expect(blocks("sql")).toContain(from(seedFile, "CREATE TABLE"));
  });

  it("registers both: the load-time checks pass, each reads its own source, and the parameters carry their labels", () => {
    expect(openTickets.source).toEqual({ kind: "postgres", name: "BILLING" });
    expect(unpaidInvoices.source).toEqual({ kind: "d1", name: "PRODUCT_DB" });
    expect(isSourceConfigured(env, openTickets)).toBe(true);
    expect(isSourceConfigured(env, unpaidInvoices)).toBe(false);
    expect(isSourceConfigured({ ...env, PRODUCT_DB: env.DB } as Env, unpaidInvoices)).toBe(true);
    const titles = (schema: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(schema.properties as Record<string, { title?: string }>).map(([key, p]) => [key, p.title]));
    expect(titles(parametersJsonSchema(openTickets))).toEqual({ team: "Team" });
    expect(titles(parametersJsonSchema(unpaidInvoices))).toEqual({ country: "Country", minAmount: "Smallest amount" });
  });

  it("the D1 example reads the README's local data: unpaid invoices of its tenant only, money in units", async () => {
    // The README's seed, statement by statement, into a D1 database standing in for PRODUCT_DB.
    const statements = seedFile
      .split(";\n")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter(Boolean);
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    const ctx = { env: { ...env, PRODUCT_DB: env.DB } as Env, tenant: "acme", now: new Date("2026-12-01T09:00:00Z"), timezone: "UTC" };
    expect(await readReport(unpaidInvoices, ctx, {}, 1)).toEqual([
      { invoice: "INV-1001", due_on: "2026-10-31", customer: "Globex", country: "DE", amount: 6623.93, tax_rate: 0.19 },
      { invoice: "INV-1002", due_on: "2026-11-15", customer: "Initech", country: "US", amount: 1250.5, tax_rate: 0.0725 },
    ]);
    expect((await readReport(unpaidInvoices, ctx, { country: "US" })).map((r) => r.invoice)).toEqual(["INV-1002"]);
    expect((await readReport(unpaidInvoices, ctx, { minAmount: 2000 })).map((r) => r.invoice)).toEqual(["INV-1001"]);
    expect(unpaidInvoices.parameters.safeParse({ country: "Germany" }).success).toBe(false);
  });
});
