// axe-core, from npm, run inside the page. page.evaluate goes through the DevTools protocol, which
// the page's Content-Security-Policy does not govern, so the dashboard's CSP stays as served.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, Result } from "axe-core";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The violations of WCAG 2.1 A/AA and axe's best practices on the page as it is now. */
export async function axeViolations(page: Page): Promise<Result[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axeSource);
  const results = await page.evaluate<AxeResults>("window.axe.run(document, { resultTypes: ['violations'] })");
  return results.violations;
}

/** One line per violation: impact, rule, and where, for a failing test's message. */
export const describeViolations = (violations: Result[]) =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("\n");

export const isSerious = (v: Result) => v.impact === "serious" || v.impact === "critical";
