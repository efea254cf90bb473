import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { signUpAndConfirm } from "./organization";

// Editing a report in the wizard must not lose what the wizard does not change: a report that uses
// every field is opened and saved untouched (nothing changes), then saved with a new name (only the
// name changes). The report is created and read back through the API.

const base = inject("baseUrl");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

type Report = { id: string; name: string; updatedAt: string; [key: string]: unknown };

it("saving a report from the wizard keeps every field it did not change", async () => {
  const stamp = Date.now().toString(36);

  // A session through the API.
  const signup = await signUpAndConfirm(base, {
    email: `round-trip-${stamp}@example.com`,
    password: "a-long-password-3",
    name: "Rita Roundtrip",
    organizationName: `Round trip ${stamp}`,
  });
  expect(signup.status).toBe(201);
  const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const [cookieName = "", cookieValue = ""] = cookie.split("=");
  expect(cookieValue).not.toBe("");
  const { token } = (await signup.json()) as { token: string };
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}/api${url}`, {
      method,
      // A program calls the API with the bearer token; the cookie is for the browser below.
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  // A report that uses every field.
  const created = await api("POST", "/scheduled-reports", {
    name: "Month-end orders",
    reportType: "order_details",
    parameters: { dateRange: "last_month", region: "EU", status: "completed", minAmount: 10 },
    format: "csv",
    compress: true,
    schedule: {
      preset: "monthly",
      time: "07:45",
      dayOfMonth: "last",
      timezone: "Europe/Berlin",
      catchUp: "all",
      // In the future, so that no run can happen (and change lastRunAt) while the test runs.
      startAt: "2030-01-01T00:00:00Z",
      endAt: "2031-06-30T21:59:59Z",
    },
    recipients: [
      { type: "email", value: "month-end@example.com" },
      { type: "slack", value: "https://hooks.slack.com/services/T000/B000/XXXX" },
      { type: "webhook", value: "https://example.com/hook" },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id: string = created.body.id;
  const get = async (): Promise<Report> => {
    const res = await api("GET", `/scheduled-reports/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const before = await get();
  expect(before.schedule).toMatchObject({
    preset: "monthly",
    time: "07:45",
    dayOfMonth: "last",
    catchUp: "all",
    startAt: "2030-01-01T00:00:00.000Z",
    endAt: "2031-06-30T21:59:59.000Z",
  });
  expect(before.compress).toBe(true);

  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: cookieName, value: cookieValue, url: base }]);
  const page = await context.newPage();

  // Open it in the wizard and walk every step without touching anything; the steps show what is stored.
  await page.goto(`/reports/${id}/edit`);
  await expect.poll(() => page.getByLabel("Name").inputValue(), { timeout: 15_000 }).toBe("Month-end orders");
  await expect.poll(() => page.getByLabel(/Order details/).isChecked(), { timeout: 10_000 }).toBe(true);
  await page.getByRole("button", { name: "Next" }).click();
  await expect.poll(() => page.getByLabel("Region").inputValue(), { timeout: 10_000 }).toBe("EU");
  await page.getByRole("button", { name: "Next" }).click();
  expect(await page.getByLabel("CSV").isChecked()).toBe(true);
  expect(await page.getByLabel("Gzip-compress the file").isChecked()).toBe(true);
  await page.getByRole("button", { name: "Next" }).click();
  expect(await page.getByLabel("Every").inputValue()).toBe("monthly");
  expect(await page.getByLabel("At", { exact: true }).inputValue()).toBe("07:45");
  expect(await page.getByLabel("Day of month").inputValue()).toBe("last");
  expect(await page.getByLabel("Timezone").inputValue()).toBe("Europe/Berlin");
  expect(await page.getByLabel("Missed runs").inputValue()).toBe("all");
  expect(await page.getByLabel("Start date").inputValue()).toBe("2030-01-01");
  expect(await page.getByLabel("End date").inputValue()).toBe("2031-06-30");
  await expect.poll(() => page.getByRole("list", { name: "Next runs" }).locator("li").count(), { timeout: 10_000 }).toBe(5);
  await shot(page, "20-round-trip-schedule");
  await page.getByRole("button", { name: "Next" }).click();
  const recipientInputs = await page.locator('input[id^="rvalue-"]').all();
  expect(await Promise.all(recipientInputs.map((input) => input.inputValue()))).toEqual([
    "month-end@example.com",
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://example.com/hook",
  ]);
  await page.getByRole("button", { name: "Next" }).click();
  await shot(page, "21-round-trip-review");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Month-end orders" }).isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await get()).toEqual(before);

  // Change only the name: only the name (and the time of the change) differ.
  await page.goto(`/reports/${id}/edit`);
  await expect.poll(() => page.getByLabel("Name").inputValue(), { timeout: 15_000 }).toBe("Month-end orders");
  await page.getByLabel("Name").fill("Month-end orders (EU)");
  await page.getByRole("button", { name: "6. Review" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Month-end orders (EU)" }).isVisible(), { timeout: 10_000 }).toBe(true);
  const after = await get();
  expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
  expect({ ...after, updatedAt: before.updatedAt }).toEqual({ ...before, name: "Month-end orders (EU)" });
  // The wizard sent a PATCH of the name alone.
  const audit = await api("GET", "/audit-events?type=scheduled_report.updated&limit=10");
  expect(audit.status).toBe(200);
  expect(audit.body.items.map((e: { data: unknown }) => e.data)).toEqual([{ fields: ["name"] }]);
  await context.close();
});
