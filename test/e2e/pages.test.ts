import { readdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, describeViolations, isSerious } from "./accessibility";
import { launchBrowser, shot } from "./browser";
import { emailedLink } from "./mailbox";
import { type Organization, ownClientAddress, reportWithOneRun, signUpOrganization } from "./organization";

// Every page of the dashboard (every route under web/src/routes, checked below): axe finds no
// serious or critical violation in the light theme, in the dark theme, with the confirmation dialog
// open, or with toasts shown; at a phone's width (390×844) nothing is wider than the screen. Each
// page is saved to screenshots/ at a desktop's and a phone's width, light and dark, to be looked at
// (desktop-light-reports.png, phone-dark-reports.png, ...). No page throws or has anything refused
// by the Content-Security-Policy it is served with.

const base = inject("baseUrl");

let browser: Browser;
let org: Organization;
let reportId: string;
let triggeredId: string;
beforeAll(async () => {
  browser = await launchBrowser();
  org = await signUpOrganization(base, "pages");
  reportId = await reportWithOneRun(org, "Support backlog");
  // A report run when its data is ready: its page shows the trigger command.
  const triggered = await org.api<{ id: string }>("POST", "/scheduled-reports", {
    name: "Warehouse ready",
    reportType: "ticket_backlog",
    format: "csv",
    schedule: { trigger: "event", deadline: "09:30", onMissedDeadline: "alert", timezone: "Europe/Berlin" },
  });
  expect(triggered.status).toBe(201);
  triggeredId = triggered.body.id;
  // A second member (invited, the invitation accepted), for the settings page's user list.
  const viewerEmail = `viewer-${Date.now()}@example.com`;
  expect((await org.api("POST", "/users", { email: viewerEmail, name: "Vic Viewer", role: "viewer" })).status).toBe(202);
  const invite = new URL(await emailedLink(viewerEmail, "/invite"));
  const accepted = await fetch(`${base}/api/auth/invitations/accept`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ownClientAddress() },
    body: JSON.stringify({ token: invite.searchParams.get("token"), password: "a-long-password-5" }),
  });
  expect(accepted.status).toBe(200);
  // The run's email has gone out, for the monitoring page's deliveries chart (60 s at most).
  for (let i = 0; ; i++) {
    const { body } = await org.api<{ deliveries: unknown[] }>("GET", "/metrics/series?days=1");
    if (body.deliveries.length) break;
    if (i === 120) throw new Error("The run's delivery was not counted in 60 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});
afterAll(async () => browser?.close());

type PageSpec = { name: string; path: string; charts?: number };
const signedIn = (): PageSpec[] => [
  { name: "reports", path: "/" },
  { name: "report", path: `/reports/${reportId}`, charts: 1 },
  { name: "report-triggered", path: `/reports/${triggeredId}` },
  { name: "report-edit", path: `/reports/${reportId}/edit` },
  { name: "report-new", path: "/reports/new" },
  { name: "reports-apply", path: "/reports/apply" },
  { name: "history", path: "/executions" },
  { name: "monitoring", path: "/monitoring", charts: 4 },
  { name: "audit", path: "/audit" },
  { name: "settings", path: "/settings" },
  { name: "api-keys", path: "/settings/api-keys" },
  { name: "outbox", path: "/outbox" },
];
const signedOut: PageSpec[] = [
  { name: "login", path: "/login" },
  { name: "signup", path: "/signup" },
  { name: "signup-confirm", path: "/signup/confirm?token=not-a-real-token" },
  { name: "invite", path: "/invite?token=not-a-real-token" },
  { name: "forgot-password", path: "/forgot-password" },
  { name: "reset-password", path: "/reset-password?token=not-a-real-token" },
];

const THEMES = ["light", "dark"] as const;

/** Every route of the dashboard: each folder under web/src/routes with a +page.svelte, as a path pattern. */
function dashboardRoutes(): string[] {
  const root = path.join(import.meta.dirname, "..", "..", "web", "src", "routes");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "+page.svelte")
    .map(
      (file) =>
        `/${path
          .dirname(file)
          .split(path.sep)
          .filter((part) => part !== "." && !/^\(.*\)$/.test(part))
          .join("/")}`,
    )
    .sort();
}
/** A route's pattern as a regular expression: a [param] is one path segment. */
const routeMatcher = (route: string) => new RegExp(`^${route.replace(/\[[^\]]+\]/g, "[^/]+")}$`);

it("visits every route of the dashboard", () => {
  const routes = dashboardRoutes();
  // Sanity: the listing found the routes (the home page and a parameterised one at least).
  expect(routes).toContain("/");
  expect(routes).toContain("/reports/[id]");
  const visited = [...signedIn(), ...signedOut].map((p) => new URL(p.path, "http://localhost").pathname);
  const missing = routes.filter((route) => !visited.some((p) => routeMatcher(route).test(p)));
  expect(missing, "routes no test below opens: add them to signedIn() or signedOut").toEqual([]);
});

// What went wrong in the page: uncaught errors, and anything the Content-Security-Policy refused
// (a chart library that needed eval or inline scripts would show up here).
const problems = new WeakMap<Page, string[]>();
function watch(page: Page) {
  const seen: string[] = [];
  problems.set(page, seen);
  page.on("pageerror", (error) => seen.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) seen.push(`CSP: ${message.text()}`);
  });
  return page;
}

/** Opens a page and waits until it has drawn its data: a heading, no loading placeholder, no error. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await expect.poll(() => page.locator("main h1").first().isVisible(), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => page.locator("[aria-busy='true']").count(), { timeout: 15_000 }).toBe(0);
  expect(problems.get(page) ?? [], path).toEqual([]);
}

/** How many chart canvases have something drawn on them. */
const paintedCharts = (page: Page) =>
  page.evaluate<number>(
    `[...document.querySelectorAll(".chart-box canvas")].filter((c) => {
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      return data.some((value, i) => i % 4 === 3 && value > 0);
    }).length`,
  );

/** Walks the wizard of the stored report step by step, calling `check` on each. */
async function eachWizardStep(page: Page, check: (step: number) => Promise<void>) {
  await open(page, `/reports/${reportId}/edit`);
  const steps = page.getByRole("navigation", { name: "Wizard steps" }).getByRole("button");
  for (let step = 0; step < (await steps.count()); step++) {
    await steps.nth(step).click();
    await expect.poll(() => steps.nth(step).getAttribute("aria-current")).toBe("step");
    await expect.poll(() => page.locator("[aria-busy='true']").count(), { timeout: 15_000 }).toBe(0);
    await check(step + 1);
  }
}

/** The schedule step of the report run when its data is ready (its deadline and missed-deadline choice). */
async function openTriggeredScheduleStep(page: Page) {
  await open(page, `/reports/${triggeredId}/edit`);
  const step = page.getByRole("navigation", { name: "Wizard steps" }).getByRole("button", { name: "4. Schedule" });
  await step.click();
  await expect.poll(() => step.getAttribute("aria-current")).toBe("step");
  await expect.poll(() => page.getByLabel("Deadline (optional)").isVisible(), { timeout: 10_000 }).toBe(true);
}

async function expectNoOverflow(page: Page, what: string) {
  const { scrollWidth, clientWidth } = await page.evaluate<{ scrollWidth: number; clientWidth: number }>(
    "(() => { const root = document.scrollingElement; return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth }; })()",
  );
  expect(scrollWidth, `${what} is ${scrollWidth - clientWidth}px wider than the screen`).toBeLessThanOrEqual(clientWidth);
}

async function expectAccessible(page: Page, what: string) {
  const violations = await axeViolations(page);
  const serious = violations.filter(isSerious);
  expect(serious, `${what}:\n${describeViolations(serious)}`).toEqual([]);
}

async function newContext(options: { signedIn: boolean; colorScheme?: "light" | "dark"; phone?: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    baseURL: base,
    colorScheme: options.colorScheme ?? "light",
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  if (options.signedIn) await org.signIn(context);
  return context;
}

describe.each(THEMES)("in the %s theme", (colorScheme) => {
  it("has no serious or critical accessibility violation on any page", async () => {
    for (const signed of [true, false]) {
      const context = await newContext({ signedIn: signed, colorScheme });
      const page = watch(await context.newPage());
      for (const { name, path, charts } of signed ? signedIn() : signedOut) {
        await open(page, path);
        if (charts) await expect.poll(() => paintedCharts(page), { timeout: 10_000 }).toBe(charts);
        await expectAccessible(page, `${name} (${colorScheme})`);
        await shot(page, `desktop-${colorScheme}-${name}`);
      }
      if (signed) {
        await eachWizardStep(page, async (step) => {
          await expectAccessible(page, `wizard step ${step} (${colorScheme})`);
          await shot(page, `desktop-${colorScheme}-wizard-step-${step}`);
        });
        await openTriggeredScheduleStep(page);
        await expectAccessible(page, `wizard data-ready schedule (${colorScheme})`);
        await shot(page, `desktop-${colorScheme}-wizard-data-ready`);
      }
      await context.close();
    }
  });

  it("says how an action went in a toast: the API's message stays until dismissed, a success goes by itself", async () => {
    const context = await newContext({ signedIn: true, colorScheme });
    const page = watch(await context.newPage());
    await open(page, "/");
    const row = page.locator('tr[data-report="Support backlog"]');
    // The API refuses Run now (stubbed): its envelope's message is the toast's, announced at once.
    await page.route("**/api/scheduled-reports/*/run", (route) =>
      route.fulfill({ status: 409, json: { error: { code: "conflict", message: "The report already has a run in progress", requestId: "stubbed" } } }),
    );
    await row.getByRole("button", { name: "Run now" }).click();
    const errors = page.locator(".toaster [role='alert'] .toast");
    await expect.poll(() => errors.count(), { timeout: 10_000 }).toBe(1);
    expect(await errors.textContent()).toContain("The report already has a run in progress");
    await row.getByRole("button", { name: "Pause" }).click();
    const successes = page.locator(".toaster [role='status'] .toast");
    await expect.poll(() => successes.count(), { timeout: 10_000 }).toBe(1);
    expect(await successes.textContent()).toContain("Paused “Support backlog”");
    expect(await page.locator(".toaster [role='status']").getAttribute("aria-live")).toBe("polite");
    await expectAccessible(page, `toasts (${colorScheme})`);
    await shot(page, `desktop-${colorScheme}-toasts`);
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoOverflow(page, "toasts at a phone's width");
    await shot(page, `phone-${colorScheme}-toasts`);
    await page.setViewportSize({ width: 1280, height: 900 });
    // The × is reached by keyboard and dismisses the error; the success goes by itself.
    await errors.getByRole("button", { name: "Dismiss notification" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => errors.count()).toBe(0);
    await page.mouse.move(0, 0);
    await page.locator("#q").focus();
    await expect.poll(() => successes.count(), { timeout: 15_000 }).toBe(0);
    await row.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => row.locator(".status.active").count(), { timeout: 10_000 }).toBe(1);
    await context.close();
  });
});

it("draws the monitoring charts over the range kept in the URL, each with its figures as text", async () => {
  const context = await newContext({ signedIn: true });
  const page = watch(await context.newPage());
  const asked: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/api/metrics/series") asked.push(url.searchParams.get("days") ?? "");
  });
  await open(page, "/monitoring");
  await expect.poll(() => paintedCharts(page), { timeout: 10_000 }).toBe(4);
  expect([...new Set(asked)]).toEqual(["1"]);
  // Each chart says what it shows, and has its figures in a table under "Show the numbers".
  const charts = page.locator(".chart-box[role='img']");
  expect(await charts.evaluateAll((boxes) => boxes.map((box) => box.getAttribute("aria-label")))).toEqual([
    expect.stringMatching(/^Stacked bars: completed and failed runs per hour over the last 24 hours, [1-9]\d* completed and 0 failed in all$/),
    expect.stringMatching(/^Line: the share of finished runs that completed, per hour over the last 24 hours, .*; 100\.0% in all$/),
    expect.stringMatching(/one colour per report type: Ticket backlog$/),
    expect.stringMatching(/one colour per channel \(Email\)/),
  ]);
  for (const summary of await page.getByText("Show the numbers").all()) await summary.click();
  const runs = page.getByRole("table", { name: "Runs per hour" });
  expect(await runs.getByRole("row").count()).toBeGreaterThan(1);
  expect(await page.getByRole("table", { name: "Run time per report type" }).getByRole("cell", { name: "Ticket backlog" }).count()).toBeGreaterThan(0);
  expect(await page.getByRole("table", { name: "Deliveries per channel" }).getByRole("cell", { name: "Email" }).count()).toBeGreaterThan(0);
  await expectAccessible(page, "monitoring charts with their figures shown");

  // Another range: asked of the API, kept in the URL, and still chosen after a reload.
  const range = page.getByLabel("Charts over the last");
  await range.selectOption("7d");
  await expect.poll(() => new URL(page.url()).searchParams.get("range")).toBe("7d");
  await expect.poll(() => page.getByRole("heading", { name: "Runs per hour, last 7 days" }).isVisible(), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => asked.at(-1)).toBe("7");
  await open(page, page.url());
  expect(await range.inputValue()).toBe("7d");
  await expect.poll(() => asked.at(-1)).toBe("7");
  await expect.poll(() => paintedCharts(page), { timeout: 10_000 }).toBe(4);
  expect(await charts.first().getAttribute("aria-label")).toContain("per hour over the last 7 days");

  // A month is shown per UTC day.
  await range.selectOption("30d");
  await expect.poll(() => page.getByRole("heading", { name: "Runs per day, last 30 days" }).isVisible(), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => asked.at(-1)).toBe("30");
  await page.getByText("Show the numbers").first().click();
  const days = page.getByRole("table", { name: "Runs per day" });
  expect(await days.getByRole("columnheader").first().textContent()).toBe("Day");
  expect(await days.getByRole("cell", { name: /\(UTC\)$/ }).count()).toBeGreaterThan(0);
  await expectAccessible(page, "monitoring over 30 days");
  await shot(page, "desktop-light-monitoring-30-days");
  await context.close();
});

it("has no serious or critical accessibility violation with the confirmation dialog open", async () => {
  const context = await newContext({ signedIn: true });
  const page = watch(await context.newPage());
  await open(page, "/");
  await page.locator('tr[data-report="Support backlog"]').getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => page.getByRole("alertdialog").isVisible()).toBe(true);
  await expectAccessible(page, "delete dialog");
  await shot(page, "desktop-light-dialog-delete");
  await page.keyboard.press("Escape");
  await context.close();
});

it("says what to do next on every empty list of a new organization", async () => {
  const fresh = await signUpOrganization(base, "empty");
  const context = await browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    baseURL: base,
    colorScheme: "light",
    viewport: { width: 1280, height: 900 },
  });
  await fresh.signIn(context);
  const page = watch(await context.newPage());
  const empties: { name: string; path: string; says: string }[] = [
    { name: "reports", path: "/", says: "No scheduled reports yet" },
    { name: "history", path: "/executions", says: "No runs yet" },
    { name: "monitoring", path: "/monitoring", says: "No alerts: nothing needs attention" },
    { name: "api-keys", path: "/settings/api-keys", says: "No API keys yet" },
    { name: "settings", path: "/settings", says: "You are the only user" },
  ];
  for (const { name, path, says } of empties) {
    await open(page, path);
    await expect.poll(() => page.getByText(says).isVisible(), { timeout: 10_000 }).toBe(true);
    await expectAccessible(page, `empty ${name}`);
    await shot(page, `desktop-light-empty-${name}`);
  }
  // The monitoring charts say what will appear and when, instead of drawing empty axes.
  await open(page, "/monitoring");
  const charts = [
    { heading: "Runs per hour, last 24 hours", says: "No runs finished in the last 24 hours. Once a scheduled report runs" },
    { heading: "Success rate per hour, last 24 hours", says: "The share of runs that completed appears here" },
    { heading: "Run time per report type, last 24 hours", says: "No runs completed in the last 24 hours. How long each report type takes" },
    { heading: "Deliveries per channel, last 24 hours", says: "No deliveries in the last 24 hours. Reports with recipients deliver" },
  ];
  for (const { heading, says } of charts) {
    expect(await page.getByRole("region", { name: heading }).getByText(says).isVisible(), heading).toBe(true);
  }
  expect(await page.locator(".chart-box").count()).toBe(0);
  // The first report's button is there for someone who may create one.
  await open(page, "/");
  expect(await page.getByRole("link", { name: "Schedule your first report" }).isVisible()).toBe(true);
  await context.close();
});

it.each(THEMES)("fits a phone's width on every page, without horizontal scrolling (%s theme)", async (colorScheme) => {
  for (const signed of [true, false]) {
    const context = await newContext({ signedIn: signed, phone: true, colorScheme });
    const page = watch(await context.newPage());
    for (const { name, path } of signed ? signedIn() : signedOut) {
      await open(page, path);
      await shot(page, `phone-${colorScheme}-${name}`);
      await expectNoOverflow(page, name);
    }
    if (signed) {
      await eachWizardStep(page, async (step) => {
        await shot(page, `phone-${colorScheme}-wizard-step-${step}`);
        await expectNoOverflow(page, `wizard step ${step}`);
      });
      await openTriggeredScheduleStep(page);
      await shot(page, `phone-${colorScheme}-wizard-data-ready`);
      await expectNoOverflow(page, "wizard data-ready schedule");
    }
    await context.close();
  }
});
