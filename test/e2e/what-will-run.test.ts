import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { type Organization, ownClientAddress, reportWithOneRun, signUpOrganization } from "./organization";

// The wizard and the report page show what will run: the report type is chosen before the name,
// the parameters appear under their labels in Review and on the report page, the type by its name,
// preview money and counts formatted by their column's type, a year on a date outside this one, a
// Run now toast that lasts as long as the run, deliveries with their attempts in words and times,
// and the report's own clock (the one its file names use) beside the viewer's in its history.

const base = inject("baseUrl");
// The viewer is in New York; the reports run on Berlin's clock.
const VIEWER_ZONE = "America/New_York";

let browser: Browser;
let org: Organization;
let context: BrowserContext;
let page: Page;
let backlogId: string;
beforeAll(async () => {
  browser = await launchBrowser();
  org = await signUpOrganization(base, "what-will-run");
  backlogId = await reportWithOneRun(org, "Support backlog");
  expect((await org.api("POST", "/settings/sample-data")).status).toBeLessThan(300);
  context = await browser.newContext({ extraHTTPHeaders: ownClientAddress(), baseURL: base, timezoneId: VIEWER_ZONE, viewport: { width: 1280, height: 900 } });
  await org.signIn(context);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const texts = (selector: string) => page.locator(selector).allTextContents();

it("counts one stored file as “1 file” and names report types on the monitoring page", async () => {
  await page.goto("/monitoring");
  const storage = page.locator(".stat", { hasText: "Storage" });
  await expect.poll(() => storage.textContent(), { timeout: 15_000 }).toContain("1 file");
  expect(await storage.textContent()).not.toContain("1 files");
  // Run times per report type name the type, not its id.
  await expect.poll(() => page.getByText(/^Ticket backlog: p50 \d+ ms/).count()).toBe(1);
  expect(await page.getByText(/ticket_backlog/).count()).toBe(0);
});

it("asks for the report type before the name, shows the preview's money and counts by column type, and lists the parameters in Review", async () => {
  await page.goto("/reports/new");
  const type = page.getByRole("group", { name: "Report type" });
  await expect.poll(() => type.isVisible(), { timeout: 15_000 }).toBe(true);
  // The type's choices come before the name and the as-code key in the page.
  const before = await page.evaluate<boolean>(
    `(() => {
      const group = [...document.querySelectorAll("fieldset")].find((f) => f.querySelector("legend")?.textContent === "Report type");
      const name = document.getElementById("name");
      return !!group && !!name && !!(group.compareDocumentPosition(name) & Node.DOCUMENT_POSITION_FOLLOWING);
    })()`,
  );
  expect(before).toBe(true);
  await page.getByLabel(/Sales summary/).check();
  await page.getByLabel("Name").fill("EU sales");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Region").selectOption("EU");
  await expect.poll(() => page.locator("td[data-column='revenue']").count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // Money as 6,623.93 (grouped, two decimals), counts as 1,204 (grouped, no decimals).
  const revenue = await texts("td[data-column='revenue']");
  for (const cell of revenue) expect(cell).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  expect(revenue.some((cell) => cell.includes(","))).toBe(true);
  for (const cell of await texts("td[data-column='orders']")) expect(cell).toMatch(/^\d{1,3}(,\d{3})*$/);
  expect(await page.evaluate<string>(`getComputedStyle(document.querySelector("td[data-column='revenue']")).textAlign`)).toBe("right");
  await shot(page, "wizard-preview-formatted");

  for (let step = 0; step < 4; step++) await page.getByRole("button", { name: "Next" }).click();
  const parameters = page.locator("dd[data-parameters] div");
  await expect.poll(() => parameters.allTextContents()).toEqual(["Date range: last 30 days", "Region: EU", "Include refunded orders: no"]);
  await shot(page, "wizard-review-parameters");
  await page.getByRole("button", { name: "Create report" }).click();

  // The report page: the type by its name, and the same parameters.
  await expect.poll(() => page.getByRole("heading", { name: "EU sales" }).isVisible(), { timeout: 15_000 }).toBe(true);
  const facts = page.locator("dl.facts");
  await expect.poll(() => facts.locator("dd").first().isVisible()).toBe(true);
  await expect.poll(() => facts.textContent()).toContain("Sales summary · CSV");
  expect(await facts.textContent()).not.toContain("sales_summary");
  await expect.poll(() => parameters.allTextContents()).toEqual(["Date range: last 30 days", "Region: EU", "Include refunded orders: no"]);
  await shot(page, "report-parameters");
});

it("names the year of a next run outside the current year", async () => {
  const nextYear = new Date().getUTCFullYear() + 1;
  const created = await org.api<{ id: string }>("POST", "/scheduled-reports", {
    name: "Next year's backlog",
    reportType: "ticket_backlog",
    format: "csv",
    schedule: { preset: "daily", time: "09:00", timezone: "Europe/Berlin", startAt: `${nextYear}-02-01T00:00:00.000Z` },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await page.goto(`/reports/${created.body.id}`);
  const nextRun = page.locator("dl.facts dt", { hasText: "Next run" }).locator("xpath=following-sibling::dd[1]");
  await expect.poll(() => nextRun.textContent(), { timeout: 15_000 }).toContain(`1 Feb ${nextYear}`);
  await page.goto("/");
  const row = page.locator(`tr[data-report="Next year's backlog"] td[data-label="Next run"]`);
  await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain(String(nextYear));
  // A run this year carries no year.
  const thisYear = page.locator(`tr[data-report="Support backlog"] td[data-label="Last run"]`);
  await expect.poll(() => thisYear.textContent()).toMatch(/\d{2}:\d{2}/);
  expect(await thisYear.textContent()).not.toContain(String(new Date().getUTCFullYear()));
});

it("shows “… is running now” while the run started by Run now runs, and what it came to when it ends", async () => {
  await page.goto(`/reports/${backlogId}`);
  await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 15_000 }).toBe(1);
  await page.getByRole("button", { name: "Run now" }).click();
  const running = page.locator(".toast", { hasText: "“Support backlog” is running now" });
  const ended = page.locator(".toast", { hasText: /“Support backlog” completed: \d+ rows?/ });
  await expect.poll(() => running.count()).toBe(1);
  await expect.poll(() => ended.count(), { timeout: 60_000 }).toBe(1);
  // The run has ended: the toast that said it was running has gone with it.
  expect(await running.count()).toBe(0);
  await expect.poll(() => page.locator("tr[data-execution] .status.completed").count(), { timeout: 15_000 }).toBe(2);
  await shot(page, "run-now-ended");
});

it("shows a delivery's attempts in words, with when it was sent and each attempt's time and outcome", async () => {
  await page.goto(`/reports/${backlogId}`);
  const rows = page.locator("tr[data-execution]");
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const first = rows.last();
  await first.getByRole("button", { name: "Deliveries" }).click();
  const delivery = page.locator("tr.deliveries .delivery").first();
  await expect
    .poll(() => delivery.locator("[data-attempts]").textContent(), { timeout: 15_000 })
    .toMatch(/^1 attempt · sent \w{3}(,)? \d{1,2} \w{3}.*, \d{2}:\d{2} \S+$/);
  expect(await delivery.textContent()).not.toContain("attempt(s)");
  await delivery.getByText("Attempts").click();
  await expect
    .poll(() => delivery.locator("ol.attempts li").allTextContents())
    .toEqual([expect.stringMatching(/^\w{3}(,)? \d{1,2} \w{3}.*\d{2}:\d{2} \S+: sent/)]);
  await shot(page, "delivery-attempts");
});

it("shows each run's time on the report's clock, which its file name uses, beside the viewer's", async () => {
  await page.goto(`/reports/${backlogId}`);
  const row = page.locator("tr[data-execution]").last();
  const cell = row.locator('td[data-label="Scheduled for"]');
  await expect.poll(() => cell.textContent(), { timeout: 15_000 }).toMatch(/(EST|EDT|GMT-[45]).*(CET|CEST|GMT\+[12])/);
  const berlinTime = /(\d{2}):(\d{2}) (CET|CEST|GMT\+[12])/.exec((await cell.textContent()) ?? "");
  expect(berlinTime).not.toBeNull();
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: "Download" }).click()]);
  // support-backlog_2026-12-07_0900.csv: the stamp is the Berlin time shown.
  expect(download.suggestedFilename()).toMatch(new RegExp(`^support-backlog_\\d{4}-\\d{2}-\\d{2}_${berlinTime?.[1]}${berlinTime?.[2]}\\.csv$`));
});
