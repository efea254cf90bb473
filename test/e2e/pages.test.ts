import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, describeViolations, isSerious } from "./accessibility";
import { launchBrowser, shot } from "./browser";
import { type Organization, reportWithOneRun, signUpOrganization } from "./organization";

// Every page of the dashboard: axe finds no serious or critical violation in the light theme, in
// the dark theme, or with the confirmation dialog open; at a phone's width (390×844) nothing is
// wider than the screen, and each page is saved to screenshots/ to be looked at. No page throws or
// has anything refused by the Content-Security-Policy it is served with.

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
  expect(
    (await org.api("POST", "/users", { email: `viewer-${Date.now()}@example.com`, name: "Vic Viewer", role: "viewer", password: "a-long-password-5" })).status,
  ).toBe(201);
});
afterAll(async () => browser?.close());

const signedIn = (): { name: string; path: string; charts?: number }[] => [
  { name: "reports", path: "/" },
  { name: "report", path: `/reports/${reportId}`, charts: 1 },
  { name: "report-triggered", path: `/reports/${triggeredId}` },
  { name: "report-edit", path: `/reports/${reportId}/edit` },
  { name: "report-new", path: "/reports/new" },
  { name: "reports-apply", path: "/reports/apply" },
  { name: "history", path: "/executions" },
  { name: "monitoring", path: "/monitoring", charts: 3 },
  { name: "audit", path: "/audit" },
  { name: "settings", path: "/settings" },
  { name: "outbox", path: "/outbox" },
];
const signedOut: { name: string; path: string; charts?: number }[] = [
  { name: "login", path: "/login" },
  { name: "signup", path: "/signup" },
  { name: "invite", path: "/invite?token=not-a-real-token" },
  { name: "forgot-password", path: "/forgot-password" },
  { name: "reset-password", path: "/reset-password?token=not-a-real-token" },
];

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
    baseURL: base,
    colorScheme: options.colorScheme ?? "light",
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  if (options.signedIn) await org.signIn(context);
  return context;
}

describe.each(["light", "dark"] as const)("in the %s theme", (colorScheme) => {
  it("has no serious or critical accessibility violation on any page", async () => {
    for (const signed of [true, false]) {
      const context = await newContext({ signedIn: signed, colorScheme });
      const page = watch(await context.newPage());
      for (const { name, path, charts } of signed ? signedIn() : signedOut) {
        await open(page, path);
        if (charts) await expect.poll(() => paintedCharts(page), { timeout: 10_000 }).toBe(charts);
        await expectAccessible(page, `${name} (${colorScheme})`);
        if (colorScheme === "dark") await shot(page, `dark-${name}`);
      }
      if (signed) {
        await eachWizardStep(page, (step) => expectAccessible(page, `wizard step ${step} (${colorScheme})`));
        await openTriggeredScheduleStep(page);
        await expectAccessible(page, `wizard data-ready schedule (${colorScheme})`);
      }
      await context.close();
    }
  });
});

it("has no serious or critical accessibility violation with the confirmation dialog open", async () => {
  const context = await newContext({ signedIn: true });
  const page = watch(await context.newPage());
  await open(page, "/");
  await page.locator('tr[data-report="Support backlog"]').getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => page.getByRole("alertdialog").isVisible()).toBe(true);
  await expectAccessible(page, "delete dialog");
  await shot(page, "dialog-delete");
  await page.keyboard.press("Escape");
  await context.close();
});

it("fits a phone's width on every page, without horizontal scrolling", async () => {
  for (const signed of [true, false]) {
    const context = await newContext({ signedIn: signed, phone: true });
    const page = watch(await context.newPage());
    for (const { name, path } of signed ? signedIn() : signedOut) {
      await open(page, path);
      await shot(page, `phone-${name}`);
      await expectNoOverflow(page, name);
    }
    if (signed) {
      await eachWizardStep(page, async (step) => {
        await shot(page, `phone-wizard-step-${step}`);
        await expectNoOverflow(page, `wizard step ${step}`);
      });
      await openTriggeredScheduleStep(page);
      await shot(page, "phone-wizard-data-ready");
      await expectNoOverflow(page, "wizard data-ready schedule");
    }
    await context.close();
  }
});
