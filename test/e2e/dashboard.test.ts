import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot, waitForPreview } from "./browser";
import { emailedLink } from "./mailbox";
import { ownClientAddress } from "./organization";

const base = inject("baseUrl");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

it("signs up, schedules a report through the wizard, runs it, downloads the file, pauses and resumes it; a viewer cannot edit", async () => {
  const context = await browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    baseURL: base,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const stamp = Date.now().toString(36);
  const email = `e2e-${stamp}@example.com`;

  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Erin Admin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (at least 10 characters)").fill("a-long-password-1");
  await page.getByLabel("Organization").fill(`E2E ${stamp}`);
  await shot(page, "01-signup");
  await page.getByRole("button", { name: "Create organization" }).click();
  // The same answer whether or not the address has an account: check your email.
  await expect.poll(() => page.getByText("Check your email").isVisible(), { timeout: 15_000 }).toBe(true);
  await shot(page, "01b-signup-check-email");
  await page.goto(await emailedLink(email, "/signup/confirm"));
  await page.getByRole("button", { name: "Create organization and sign in" }).click();
  await expect.poll(() => page.getByText("No scheduled reports yet").isVisible(), { timeout: 15_000 }).toBe(true);
  await shot(page, "02-dashboard-empty");

  // The wizard, step by step.
  await page.getByRole("link", { name: "Schedule your first report" }).click();
  await page.getByLabel(/Ticket backlog/).check();
  await page.getByLabel("Name").fill("Support backlog");
  await shot(page, "03-wizard-type");
  await page.getByRole("button", { name: "Next" }).click();
  await waitForPreview(page);
  await shot(page, "04-wizard-parameters");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("CSV").check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Every").selectOption("daily");
  await page.getByLabel("Timezone").selectOption("Europe/Berlin");
  await expect.poll(() => page.getByRole("list", { name: "Next runs" }).locator("li").count(), { timeout: 10_000 }).toBe(5);
  await shot(page, "05-wizard-schedule");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Address").fill("ops@example.com");
  await page.getByRole("button", { name: "Send a test" }).click();
  await expect.poll(() => page.getByText("Test sent").isVisible(), { timeout: 15_000 }).toBe(true);
  await shot(page, "06-wizard-recipients");
  await page.getByRole("button", { name: "Next" }).click();
  await shot(page, "07-wizard-review");
  await page.getByRole("button", { name: "Create report" }).click();

  // The report page: run now, watch the execution complete, download its file.
  await expect.poll(() => page.getByRole("heading", { name: "Support backlog" }).isVisible(), { timeout: 10_000 }).toBe(true);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => page.locator("tr[data-execution] .status.completed").count(), { timeout: 60_000 }).toBe(1);
  await shot(page, "08-report-history");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^support-backlog_.*\.csv$/);
  const csv = await download.createReadStream().then(async (s) => {
    let text = "";
    for await (const chunk of s) text += chunk;
    return text;
  });
  expect(csv.split("\r\n")[0]).toContain("Subject");
  await page.getByRole("button", { name: "Deliveries" }).click();
  const delivery = page.locator("tr.deliveries .delivery");
  await expect.poll(() => delivery.getByText("ops@example.com").isVisible()).toBe(true);
  expect(await delivery.locator(".channel").textContent()).toBe("Email");

  // Pause and resume from the dashboard.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  const row = page.locator('tr[data-report="Support backlog"]');
  await row.getByRole("button", { name: "Pause" }).click();
  await expect.poll(() => row.locator(".status.paused").count()).toBe(1);
  await shot(page, "09-dashboard-paused");
  await row.getByRole("button", { name: "Resume" }).click();
  await expect.poll(() => row.locator(".status.active").count()).toBe(1);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "History" }).click();
  await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 10_000 }).toBe(1);
  await shot(page, "10-history");

  // The other pages: monitoring figures, the audit trail of what we just did, settings, the outbox.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitoring" }).click();
  await expect.poll(() => page.getByText("Success, last hour").isVisible(), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => page.getByRole("img", { name: /completed and failed runs per hour/ }).isVisible(), { timeout: 10_000 }).toBe(true);
  await shot(page, "12-monitoring");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect.poll(() => page.getByText("scheduled_report.paused").isVisible(), { timeout: 10_000 }).toBe(true);
  await shot(page, "13-audit");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Users" }).isVisible(), { timeout: 10_000 }).toBe(true);
  await shot(page, "14-settings");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }).click();
  await expect.poll(() => page.getByText("Scheduled Report: Support backlog").isVisible(), { timeout: 15_000 }).toBe(true);
  await shot(page, "15-outbox");
  // A phone's width: the same dashboard, rows stacked.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await expect.poll(() => page.locator('tr[data-report="Support backlog"]').isVisible(), { timeout: 10_000 }).toBe(true);
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "16-dashboard-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // A viewer sees the report but no way to change it.
  const viewerEmail = `viewer-${stamp}@example.com`;
  // The page's own request, with the session cookie: it says where it comes from, as the dashboard's fetches do.
  const created = await page.request.post("/api/users", {
    headers: { origin: base },
    data: { email: viewerEmail, name: "Vic Viewer", role: "viewer" },
  });
  expect(created.status()).toBe(202);
  // The viewer accepts the emailed invitation, choosing a password, and is signed in.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto(await emailedLink(viewerEmail, "/invite"));
  await page.getByLabel("Password (at least 10 characters)").fill("a-long-password-2");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect.poll(() => page.locator('tr[data-report="Support backlog"]').count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => page.locator('tr[data-report="Support backlog"]').getByText("view only").isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Pause" }).count()).toBe(0);
  expect(await page.getByRole("link", { name: "New report" }).count()).toBe(0);
  await shot(page, "11-viewer");
  await context.close();
});
