import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { createReport, type Organization, ownClientAddress, signUpOrganization } from "./organization";

// Runs that start from outside the dashboard and runs stopped from it: a report created in the
// wizard to run when its data is ready (with a deadline) is triggered by a program and its run shows
// up in the open history by itself; a pending run is cancelled from the history after the shared
// confirmation dialog; a schedules-as-code document is dry-run and applied from its page.

const base = inject("baseUrl");

let browser: Browser;
let org: Organization;
let context: BrowserContext;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  org = await signUpOrganization(base, "triggers");
  context = await browser.newContext({ extraHTTPHeaders: ownClientAddress(), baseURL: base, viewport: { width: 1280, height: 900 } });
  await org.signIn(context);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

type Schedule = { trigger?: string; deadline?: string; onMissedDeadline?: string; preset?: string; timezone: string };
type Execution = { id: string; status: string };

/** HH:MM six hours from now in `zone`: a deadline that cannot fall due while the test runs. */
function deadlineLater(zone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
    new Date(Date.now() + 6 * 3600_000),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("hour")}:${part("minute")}`;
}

it("creates a report that runs when its data is ready, and shows the triggered run as it happens", async () => {
  const zone = "Europe/Berlin";
  const deadline = deadlineLater(zone);

  await page.goto("/reports/new");
  await page.getByLabel(/Ticket backlog/).check();
  await page.getByLabel("Name").fill("Warehouse ready");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("CSV").check();
  await page.getByRole("button", { name: "Next" }).click();

  // The schedule step: no clock, a deadline, and the owner alerted when no trigger came by then.
  await page.getByLabel("When the data is ready").check();
  await page.getByLabel("Timezone").selectOption(zone);
  await page.getByLabel("Deadline (optional)").fill(deadline);
  await page.getByLabel(/Alert the owner/).check();
  expect(await page.getByLabel("Missed runs").count()).toBe(0);
  await expect.poll(() => page.getByText(`if no trigger came by ${deadline} ${zone}, its owner is told`).isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await page.getByText("POST /api/scheduled-reports/<id>/trigger").isVisible()).toBe(true);
  await shot(page, "40-wizard-data-ready");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Address").fill("ops@example.com");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create report" }).click();

  await expect.poll(() => page.getByRole("heading", { name: "Warehouse ready" }).isVisible(), { timeout: 10_000 }).toBe(true);
  const id = new URL(page.url()).pathname.split("/")[2] ?? "";
  const stored = await org.api<{ schedule: Schedule }>("GET", `/scheduled-reports/${id}`);
  expect(stored.status).toBe(200);
  expect(stored.body.schedule).toMatchObject({ trigger: "event", deadline, onMissedDeadline: "alert", timezone: zone });
  expect(stored.body.schedule.preset).toBeUndefined();

  // The report page tells how to trigger it, with this report's id and where keys come from.
  expect(await page.getByText(`POST /api/scheduled-reports/${id}/trigger`).isVisible()).toBe(true);
  expect(await page.getByRole("link", { name: "Settings → API keys" }).getAttribute("href")).toBe("/settings/api-keys");
  expect(await page.locator("tr[data-execution]").count()).toBe(0);

  // A program says the data is ready; the open history picks the run up and follows it to the end.
  const dataAsOf = "2026-11-30T05:00:00.000Z";
  const triggered = await org.api<{ executionId: string; duplicate: boolean }>("POST", `/scheduled-reports/${id}/trigger`, { dataAsOf });
  expect(triggered.status).toBe(202);
  expect(triggered.body.duplicate).toBe(false);
  const row = page.locator(`tr[data-execution="${triggered.body.executionId}"]`);
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
  expect(await row.locator("td[data-label='Trigger']").textContent()).toContain("data-ready trigger");
  expect(await row.getByText("data as of").isVisible()).toBe(true);
  await expect.poll(() => row.locator(".status.completed").count(), { timeout: 60_000 }).toBe(1);
  await shot(page, "41-report-triggered-run");

  // A second trigger the same day is the same run.
  const again = await org.api<{ executionId: string; duplicate: boolean }>("POST", `/scheduled-reports/${id}/trigger`, {});
  expect(again.status).toBe(200);
  expect(again.body).toEqual({ executionId: triggered.body.executionId, duplicate: true });
});

it("cancels a pending run from the history after asking in the confirmation dialog", async () => {
  // The subject is the history's Cancel, not the queue (the API's cancel has its own tests): the
  // real responses go through, but the page is shown one real run as pending, and its cancel request
  // is answered here, so nothing depends on how fast the run really goes.
  const id = await createReport(org, "Cancel me");
  const run = await org.api<{ executionId: string }>("POST", `/scheduled-reports/${id}/run`);
  expect(run.status).toBe(202);
  const runId = run.body.executionId;

  let cancelled = false;
  let seen: Execution | undefined;
  const shown = (e: Execution): Execution => {
    seen = e;
    return { ...e, status: cancelled ? "cancelled" : "pending" };
  };
  const cancelRequests: { method: string; path: string }[] = [];
  await page.route(
    (url) => url.pathname === `/api/scheduled-reports/${id}/executions`,
    async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { items: Execution[] };
      await route.fulfill({ response, json: { ...body, items: body.items.map((e) => (e.id === runId ? shown(e) : e)) } });
    },
  );
  await page.route(
    (url) => url.pathname === `/api/executions/${runId}`,
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: shown((await response.json()) as Execution) });
    },
  );
  await page.route(/\/api\/executions\/[^/]+\/cancel$/, async (route) => {
    cancelRequests.push({ method: route.request().method(), path: new URL(route.request().url()).pathname });
    cancelled = true;
    await route.fulfill({ status: 200, json: { ...seen, status: "cancelled" } });
  });

  try {
    await page.goto(`/reports/${id}`);
    await expect.poll(() => page.getByRole("heading", { name: "Cancel me" }).isVisible(), { timeout: 10_000 }).toBe(true);
    const row = page.locator(`tr[data-execution="${runId}"]`);
    await expect.poll(() => row.locator(".status.pending").count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.getByRole("button", { name: "Cancel" }).isVisible(), { timeout: 10_000 }).toBe(true);
    await row.getByRole("button", { name: "Cancel" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole("heading").textContent()).toBe("Cancel this run?");
    expect(cancelRequests).toEqual([]);
    await shot(page, "42-cancel-run-dialog");
    await dialog.getByRole("button", { name: "Cancel run" }).click();

    await expect.poll(() => row.locator(".status.cancelled").count(), { timeout: 10_000 }).toBe(1);
    expect(cancelRequests).toEqual([{ method: "POST", path: `/api/executions/${runId}/cancel` }]);
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.getByText("Run cancelled").isVisible()).toBe(true);
    expect(await row.getByRole("button", { name: "Cancel" }).count()).toBe(0);
    expect(await row.getByRole("button", { name: "Retry" }).isVisible()).toBe(true);
    await shot(page, "43-history-cancelled");
  } finally {
    await page.unrouteAll();
  }
});

it("applies a YAML document after a dry run that shows its plan", async () => {
  const key = `warehouse-${Date.now().toString(36)}`;
  await page.goto("/");
  await page.getByRole("link", { name: "Apply a document" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Apply a document" }).isVisible(), { timeout: 10_000 }).toBe(true);

  // A problem comes back with its path in the document.
  const document = (schedule: string) =>
    [
      "reports:",
      `  - key: ${key}`,
      "    name: Applied from YAML",
      "    reportType: ticket_backlog",
      "    format: csv",
      `    schedule: ${schedule}`,
      "    recipients:",
      "      - type: email",
      "        value: ops@example.com",
    ].join("\n");
  await page.getByLabel("Document (YAML or JSON)").fill(document('{ cron: "not a cron", timezone: Europe/Berlin }'));
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect.poll(() => page.getByRole("list", { name: "Problems in the document" }).textContent(), { timeout: 10_000 }).toContain("reports.0.schedule.cron");
  await shot(page, "44-apply-document-error");

  await page.getByLabel("Document (YAML or JSON)").fill(document('{ trigger: event, deadline: "07:00", timezone: Europe/Berlin }'));
  expect(await page.getByRole("button", { name: "Apply" }).isDisabled()).toBe(true);
  await page.getByRole("button", { name: "Dry run" }).click();
  const row = page.locator(`tr[data-plan-key="${key}"]`);
  await expect.poll(() => row.locator("td[data-label='Action']").textContent(), { timeout: 10_000 }).toBe("create");
  expect(await page.getByRole("heading", { name: /Plan \(dry run/ }).isVisible()).toBe(true);
  const before = await org.api<{ items: { key: string | null }[] }>("GET", "/scheduled-reports?limit=100");
  expect(before.body.items.some((r) => r.key === key)).toBe(false);
  await shot(page, "45-apply-document-plan");

  await page.getByRole("button", { name: "Apply" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Applied" }).isVisible(), { timeout: 10_000 }).toBe(true);
  const after = await org.api<{ items: { key: string | null; schedule: Schedule }[] }>("GET", "/scheduled-reports?limit=100");
  expect(after.body.items.find((r) => r.key === key)?.schedule).toMatchObject({ trigger: "event", deadline: "07:00" });
  await shot(page, "46-apply-document-applied");
});
