import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { createReport, type Organization, ownClientAddress, reportWithOneRun, signUpOrganization } from "./organization";

// What the dashboard does beyond showing data: the theme choice kept across reloads, the
// confirmation dialog, the history's filters and pin, the audit log's filters, and a run that
// moves from pending to completed on the report page without a reload.

const base = inject("baseUrl");

let browser: Browser;
let org: Organization;
let context: BrowserContext;
let page: Page;
let reportId: string;
beforeAll(async () => {
  browser = await launchBrowser();
  org = await signUpOrganization(base, "interactions");
  reportId = await reportWithOneRun(org, "Weekly backlog");
  context = await browser.newContext({ extraHTTPHeaders: ownClientAddress(), baseURL: base, colorScheme: "light", viewport: { width: 1280, height: 900 } });
  await org.signIn(context);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const theme = () => page.evaluate<string | null>("document.documentElement.dataset.theme ?? null");
const stored = () => page.evaluate<string | null>("localStorage.getItem('theme')");
const focused = () => page.evaluate<string | null>("document.activeElement?.textContent?.trim() ?? null");

it("keeps the chosen theme across reloads, and follows the system again when asked", async () => {
  await page.goto("/");
  await expect.poll(() => page.getByLabel("Colour theme").isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await theme()).toBeNull();
  await page.getByLabel("Colour theme").selectOption("dark");
  expect(await theme()).toBe("dark");
  expect(await stored()).toBe("dark");
  await page.reload();
  await expect.poll(() => page.getByLabel("Colour theme").inputValue(), { timeout: 15_000 }).toBe("dark");
  expect(await theme()).toBe("dark");
  const background = await page.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
  expect(background).toBe("rgb(15, 23, 42)");
  await shot(page, "theme-dark-chosen");
  await page.getByLabel("Colour theme").selectOption("system");
  expect(await theme()).toBeNull();
  expect(await stored()).toBeNull();
});

it("asks before deleting a report in an accessible dialog: Escape and Cancel keep it, the confirming button deletes it", async () => {
  await createReport(org, "Throwaway");
  await page.goto("/");
  const row = page.locator('tr[data-report="Throwaway"]');
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  const dialog = page.getByRole("alertdialog", { name: "Delete “Throwaway”?" });

  await row.getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await dialog.getAttribute("aria-modal")).toBe("true");
  expect(await focused()).toBe("Cancel");
  // Tab stays inside the dialog, both ways.
  await page.keyboard.press("Tab");
  expect(await focused()).toBe("Delete report");
  await page.keyboard.press("Tab");
  expect(await focused()).toBe("Cancel");
  await page.keyboard.press("Shift+Tab");
  expect(await focused()).toBe("Delete report");
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog.isVisible()).toBe(false);
  expect(await focused()).toBe("Delete");
  expect(await row.count()).toBe(1);

  await row.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);
  expect(await row.count()).toBe(1);

  await row.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete report" }).click();
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  await expect.poll(() => page.getByText("Deleted “Throwaway”").isVisible()).toBe(true);
});

it("shows the reports of the newest search when the answer to an older search arrives after it", async () => {
  await createReport(org, "Alpha ledger");
  await createReport(org, "Beta ledger");
  // The answer to the search for "Alpha" is held back until the one for "Beta" has been shown.
  const alpha = /\/api\/scheduled-reports\?.*q=Alpha/;
  const held: Route[] = [];
  await page.route(alpha, (route) => {
    held.push(route);
  });
  await page.goto("/");
  const shown = () => page.locator("tr[data-report]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-report")));
  await expect.poll(shown, { timeout: 15_000 }).toContain("Alpha ledger");
  await page.getByLabel("Search").fill("Alpha");
  await expect.poll(() => held.length).toBe(1);
  await page.getByLabel("Search").fill("Beta");
  await expect.poll(shown).toEqual(["Beta ledger"]);

  const finished = page.waitForEvent("requestfinished", (request) => alpha.test(request.url()));
  await held[0]?.continue();
  await finished;
  // Two frames after the old answer was received: time for the page to draw it, had it kept it.
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
  expect(await shown()).toEqual(["Beta ledger"]);
  expect(await page.getByLabel("Search").inputValue()).toBe("Beta");
  await page.unroute(alpha);
});

it("filters the history by status and date, and pins and unpins a file", async () => {
  await page.goto("/executions");
  const rows = page.locator("tr[data-execution]");
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
  await page.getByLabel("Status").selectOption("failed");
  await expect.poll(() => page.getByText("No runs match these filters").isVisible(), { timeout: 10_000 }).toBe(true);
  await page.getByLabel("Status").selectOption("completed");
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
  // From a day after today: nothing scheduled yet.
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Scheduled from").fill(tomorrow);
  await expect.poll(() => page.getByText("No runs match these filters").isVisible(), { timeout: 10_000 }).toBe(true);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);

  await rows.getByRole("button", { name: "Pin", exact: true }).click();
  await expect.poll(() => rows.getByText("pinned", { exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
  await shot(page, "history-pinned");
  await rows.getByRole("button", { name: "Unpin" }).click();
  await expect.poll(() => rows.getByRole("button", { name: "Pin", exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await rows.getByText("pinned", { exact: true }).count()).toBe(0);
});

it("filters the audit log by event type and actor", async () => {
  await page.goto("/audit");
  await expect.poll(() => page.locator("table[aria-label='Audit events'] tbody tr").count(), { timeout: 15_000 }).toBeGreaterThan(2);
  await page.getByLabel("Event type").fill("report_execution.pinned");
  await page.getByLabel("Event type").press("Enter");
  await expect.poll(() => page.locator("table[aria-label='Audit events'] tbody tr").count(), { timeout: 10_000 }).toBe(1);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("Actor").selectOption({ label: `Ada Admin (${org.email})` });
  // On the way the table shows the type-filtered answer (one event) and the unfiltered one (system
  // events too): wait for the answer that has both marks of the actor filter.
  const actors = page.locator("table[aria-label='Audit events'] tbody tr td:nth-child(3)");
  await expect
    .poll(async () => {
      const shown = await actors.allTextContents();
      return { actors: new Set(shown), moreThanTwo: shown.length > 2 };
    })
    .toEqual({ actors: new Set([`Ada Admin (${org.email})`]), moreThanTwo: true });
  await shot(page, "audit-filtered");
  // Nothing of a new organization is old enough to be archived yet.
  await page.getByText("Archived events").click();
  await expect.poll(() => page.getByText("Nothing archived yet.").isVisible(), { timeout: 10_000 }).toBe(true);
});

it("shows a run started with Run now move to completed without reloading the page", async () => {
  await page.goto(`/reports/${reportId}`);
  const completed = page.locator("tr[data-execution] .status.completed");
  await expect.poll(() => completed.count(), { timeout: 15_000 }).toBe(1);
  const navigations = await page.evaluate<number>("performance.getEntriesByType('navigation').length");
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 10_000 }).toBe(2);
  await expect.poll(() => completed.count(), { timeout: 60_000 }).toBe(2);
  expect(await page.evaluate<number>("performance.getEntriesByType('navigation').length")).toBe(navigations);
  await shot(page, "report-live");
});
