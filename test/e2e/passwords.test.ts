import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { ownClientAddress, signUpOrganization } from "./organization";

const base = inject("baseUrl");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

it("forgets a password, sets a new one through the emailed link, then changes it in Settings", async () => {
  const org = await signUpOrganization(base, "passwords");
  const context = await browser.newContext({ extraHTTPHeaders: ownClientAddress(), baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an Email field too: filling before the new page is shown fills the old one.
  await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
  await page.getByLabel("Email").fill(org.email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect.poll(() => page.getByRole("main").getByRole("status").textContent()).toContain("If an account uses this address");
  await shot(page, "30-forgot-password");

  // Under local development every email is kept in the outbox: the link is read from there.
  let link = "";
  await expect
    .poll(
      async () => {
        const list = await org.api<{ items: { id: string; subject: string }[] }>("GET", `/outbox?to=${encodeURIComponent(org.email)}`);
        const sent = list.body.items.find((m) => m.subject === "Set a new password for Scheduled Reports");
        if (!sent) return "";
        const message = await org.api<{ text: string }>("GET", `/outbox/${sent.id}`);
        link = /http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(message.body.text)?.[0] ?? "";
        return link;
      },
      { timeout: 15_000 },
    )
    .not.toBe("");

  await page.goto(new URL(link).pathname + new URL(link).search);
  await page.getByLabel("New password (at least 10 characters)").fill("a-new-password-from-mail");
  await page.getByLabel("The new password again").fill("a-new-password-from-mail");
  await shot(page, "31-reset-password");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect.poll(() => page.getByRole("main").getByRole("status").textContent()).toContain("Your new password is set");
  // Setting a password by the emailed link signs out everywhere: the test's own bearer session has ended too.
  expect((await org.api("GET", "/me")).status).toBe(401);

  await page.getByLabel("Email").fill(org.email);
  await page.getByLabel("Password").fill("a-new-password-from-mail");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("link", { name: "Settings" }).isVisible(), { timeout: 15_000 }).toBe(true);

  await page.goto("/settings");
  const form = page.locator("form", { has: page.getByRole("heading", { name: "Your password" }) });
  await form.getByLabel("Current password").fill("not-the-password");
  await form.getByLabel("New password (at least 10 characters)").fill("changed-in-settings-1");
  await form.getByLabel("The new password again").fill("changed-in-settings-1");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect.poll(() => form.getByRole("alert").textContent()).toContain("This is not your current password");
  await form.getByLabel("Current password").fill("a-new-password-from-mail");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect.poll(() => form.getByRole("status").textContent()).toContain("Password changed.");
  await shot(page, "32-password-changed");
  await context.close();
});
