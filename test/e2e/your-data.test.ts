import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { emailedLink } from "./mailbox";
import { ownClientAddress } from "./organization";

// Reporting on data: a new organization loads the sample business from settings and its first
// report previews rows; the wizard offers the Postgres (Hyperdrive) report types beside the D1 ones;
// the operator provisions an organization whose admin accepts the invitation in the browser.

const base = inject("baseUrl");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

it("a new organization loads the sample data and its first report has rows; both sources are offered", async () => {
  const page = await (await browser.newContext({ extraHTTPHeaders: ownClientAddress(), baseURL: base, viewport: { width: 1280, height: 900 } })).newPage();
  const stamp = Date.now().toString(36);
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Sam Sample");
  const email = `sample-${stamp}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (at least 10 characters)").fill("a-long-password-1");
  await page.getByLabel("Organization").fill(`Sample ${stamp}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  // Sign-up emails a link; using it creates the organization and signs in.
  await expect.poll(() => page.getByText("Check your email").isVisible(), { timeout: 15_000 }).toBe(true);
  await page.goto(await emailedLink(email, "/signup/confirm"));
  await page.getByRole("button", { name: "Create organization and sign in" }).click();
  await expect.poll(() => page.getByText("No scheduled reports yet").isVisible(), { timeout: 15_000 }).toBe(true);

  await page.goto("/settings");
  await page.getByRole("button", { name: "Load sample data" }).click();
  await expect.poll(() => page.getByText("Sample data loaded").isVisible(), { timeout: 30_000 }).toBe(true);
  await shot(page, "20-settings-sample-data");

  await page.goto("/reports/new");
  await expect
    .poll(
      () =>
        page
          .getByText(/reads Postgres database BILLING/)
          .first()
          .isVisible(),
      { timeout: 15_000 },
    )
    .toBe(true);
  await expect(
    page
      .getByText(/reads D1 database DB/)
      .first()
      .isVisible(),
  ).resolves.toBe(true);
  await page.getByLabel(/Order details/).check();
  await page.getByLabel("Name").fill("First orders");
  await page.getByRole("button", { name: "Next" }).click();
  await expect.poll(() => page.locator("table tbody tr").count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await shot(page, "21-wizard-preview-with-sample-data");
});

it("the operator provisions an organization and its admin sets a password through the invitation link", async () => {
  const devVars = readFileSync(path.join(import.meta.dirname, "..", "..", ".dev.vars"), "utf8");
  const operatorToken = /^OPERATOR_TOKEN=(.+)$/m.exec(devVars)?.[1];
  expect(operatorToken).toBeTruthy();
  const email = `invited-${Date.now().toString(36)}@example.com`;
  const res = await fetch(`${base}/api/operator/organizations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ name: "Provisioned Inc", admin: { email, name: "Ivy Invited" } }),
  });
  expect(res.status).toBe(201);
  const { inviteUrl } = (await res.json()) as { inviteUrl: string };
  const page = await (await browser.newContext({ extraHTTPHeaders: ownClientAddress(), viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(inviteUrl);
  await page.getByLabel("Password (at least 10 characters)").fill("invited-password-1");
  await shot(page, "22-invitation");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect.poll(() => page.getByText("No scheduled reports yet").isVisible(), { timeout: 15_000 }).toBe(true);
});
