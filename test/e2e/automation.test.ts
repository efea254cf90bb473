import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot, waitForPreview } from "./browser";
import { emailedLink } from "./mailbox";
import { ownClientAddress } from "./organization";

// Automation from the dashboard: an API key created in settings works against the API until it is
// revoked there; a report created in the wizard with a delivery condition stores it, states it and
// marks the run it held back; the reports export as a schedules-as-code document.

const base = inject("baseUrl");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const withKey = (secret: string) => fetch(`${base}/api/scheduled-reports`, { headers: { authorization: `Bearer ${secret}` } });

it("creates an API key that works until it is revoked, and a report that delivers only when its result changed", async () => {
  const context = await browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    baseURL: base,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const stamp = Date.now().toString(36);

  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Ada Automation");
  const email = `automation-${stamp}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (at least 10 characters)").fill("a-long-password-4");
  await page.getByLabel("Organization").fill(`Automation ${stamp}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  // The same answer whether or not the address has an account: check your email.
  await expect.poll(() => page.getByText("Check your email").isVisible(), { timeout: 15_000 }).toBe(true);
  await page.goto(await emailedLink(email, "/signup/confirm"));
  await page.getByRole("button", { name: "Create organization and sign in" }).click();
  await expect.poll(() => page.getByText("No scheduled reports yet").isVisible(), { timeout: 15_000 }).toBe(true);

  // An API key from settings: its secret is shown once, and it authenticates a program.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "API keys" }).click();
  await expect.poll(() => page.getByText("No API keys yet").isVisible(), { timeout: 10_000 }).toBe(true);
  await page.getByLabel("Key name").fill("CI export");
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create key" }).click();
  const secretBox = page.getByLabel("Secret of the new API key");
  await expect.poll(() => secretBox.isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await page.getByText("you will not see it again").isVisible()).toBe(true);
  const secret = await secretBox.inputValue();
  expect(secret.length).toBeGreaterThan(20);
  const row = page.locator('tr[data-api-key="CI export"]');
  await expect.poll(() => row.locator(".status.active").count(), { timeout: 10_000 }).toBe(1);
  await shot(page, "30-api-key-created");
  expect((await withKey(secret)).status).toBe(200);

  // Dismissed, the secret is gone from the page; revoked, the key is refused.
  await page.getByRole("button", { name: "Done" }).click();
  expect(await secretBox.count()).toBe(0);
  expect(await page.getByText(secret).count()).toBe(0);
  await page.reload();
  await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  await expect.poll(() => row.locator(".status.revoked").count(), { timeout: 10_000 }).toBe(1);
  await shot(page, "31-api-key-revoked");
  expect((await withKey(secret)).status).toBe(401);

  // A report that delivers only when its result changed, with a key for schedules as code.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("link", { name: "Schedule your first report" }).click();
  await page.getByLabel(/Ticket backlog/).check();
  await page.getByLabel("Name").fill("Backlog changes");
  await page.getByLabel("Key for schedules as code").fill(`backlog-${stamp}`);
  await page.getByRole("button", { name: "Next" }).click();
  await waitForPreview(page);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("CSV").check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Address").fill("ops@example.com");
  // A threshold offers the report's columns (from a preview) and a comparison.
  await page.getByLabel("Only when a column passes a threshold").check();
  const column = page.getByLabel("Column", { exact: true });
  await expect.poll(() => column.locator("option").count(), { timeout: 10_000 }).toBeGreaterThan(2);
  expect(await page.getByLabel("Comparison").inputValue()).toBe(">");
  await shot(page, "32-wizard-delivery-threshold");
  await page.getByLabel("Only when the result changed").check();
  expect(await column.count()).toBe(0);
  expect(await page.getByLabel("Keep the file of runs that deliver nothing").isChecked()).toBe(true);
  await shot(page, "33-wizard-delivery-condition");
  await page.getByRole("button", { name: "Next" }).click();
  await expect.poll(() => page.getByText("Delivered only when the result differs from the last delivered run.").isVisible()).toBe(true);
  await shot(page, "34-wizard-review-delivery");
  await page.getByRole("button", { name: "Create report" }).click();

  // The API stored the condition as chosen, and the report page states it.
  await expect.poll(() => page.getByRole("heading", { name: "Backlog changes" }).isVisible(), { timeout: 10_000 }).toBe(true);
  const id = new URL(page.url()).pathname.split("/")[2] ?? "";
  const stored = await page.request.get(`/api/scheduled-reports/${id}`);
  expect(stored.status()).toBe(200);
  const report = await stored.json();
  expect(report.deliverWhen).toEqual({ mode: "ifChanged" });
  expect(report.key).toBe(`backlog-${stamp}`);
  expect(await page.locator("[data-delivery-condition]").textContent()).toContain(
    "Delivered only when the result differs from the last delivered run. Runs that deliver nothing keep their file.",
  );

  // The first run delivers; a second run with the same rows is held back, and the history says why.
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => page.locator("tr[data-execution] .status.completed").count(), { timeout: 60_000 }).toBe(1);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => page.locator("tr[data-execution] .status.completed").count(), { timeout: 60_000 }).toBe(2);
  await expect.poll(() => page.getByText("completed · not delivered (unchanged)").count(), { timeout: 10_000 }).toBe(1);
  await shot(page, "35-report-not-delivered");

  // Schedules as code: the YAML export names the report by its key, with its condition.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await expect.poll(() => page.locator('tr[data-report="Backlog changes"]').isVisible(), { timeout: 10_000 }).toBe(true);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "YAML" }).click()]);
  expect(download.suggestedFilename()).toBe("scheduled-reports.yaml");
  let yaml = "";
  for await (const chunk of await download.createReadStream()) yaml += chunk;
  expect(yaml).toContain(`key: backlog-${stamp}`);
  expect(yaml).toContain("mode: ifChanged");
  await shot(page, "36-reports-export");
  await context.close();
});
