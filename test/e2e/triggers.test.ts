import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, shot } from "./browser";
import { type Organization, signUpOrganization } from "./organization";

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
  context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  await org.signIn(context);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

type Schedule = { trigger?: string; deadline?: string; onMissedDeadline?: string; preset?: string; timezone: string };
type Execution = { id: string; status: string; trigger: string; dataAsOf: string | null };

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
  await page.getByLabel("Name").fill("Warehouse ready");
  await page.getByLabel(/Ticket backlog/).check();
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

/** A zone where it is not yet 22:00: there, a 23:59 deadline is later today. */
function zoneBeforeLateEvening(): string {
  const zones = ["UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Pago_Pago"];
  const hour = (zone: string) => Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(new Date()));
  return zones.find((zone) => hour(zone) < 22) ?? "UTC";
}

it("cancels a pending run from the history after asking in the confirmation dialog", async () => {
  // The run must still be pending when Cancel is clicked, whatever the machine's speed, without
  // stubbing anything or writing to the database by hand. Runs of one report go oldest first by the
  // time they are scheduled for, and a run with an earlier run still waiting waits 30 s for its turn
  // (src/jobs/generate/run-generation.ts). A trigger's run is scheduled for the day's deadline, here
  // 23:59 later today; a Run now is scheduled for now, which is earlier. So the trigger is sent first
  // and Run now right after it: when the trigger's run comes up it finds the Run now still waiting
  // and goes back to pending for 30 s, however quickly the Run now itself then completes.
  const timezone = zoneBeforeLateEvening();
  const created = await org.api<{ id: string }>("POST", "/scheduled-reports", {
    name: "Cancel me",
    reportType: "ticket_backlog",
    format: "csv",
    schedule: { trigger: "event", deadline: "23:59", onMissedDeadline: "run", timezone },
    recipients: [{ type: "email", value: "ops@example.com" }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id;
  await page.goto(`/reports/${id}`);
  await expect.poll(() => page.getByRole("heading", { name: "Cancel me" }).isVisible(), { timeout: 10_000 }).toBe(true);
  const triggered = await org.api<{ executionId: string }>("POST", `/scheduled-reports/${id}/trigger`, {});
  expect(triggered.status).toBe(202);
  expect((await org.api("POST", `/scheduled-reports/${id}/run`)).status).toBe(202);
  await page.reload();
  await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 10_000 }).toBe(2);

  const row = page.locator(`tr[data-execution="${triggered.body.executionId}"]`);
  await expect.poll(() => row.getByRole("button", { name: "Cancel" }).isVisible(), { timeout: 10_000 }).toBe(true);
  await row.getByRole("button", { name: "Cancel" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await dialog.getByRole("heading").textContent()).toBe("Cancel this run?");
  await shot(page, "42-cancel-run-dialog");
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect.poll(() => row.locator(".status.cancelled").count(), { timeout: 10_000 }).toBe(1);
  expect(await page.getByText("Run cancelled").isVisible()).toBe(true);
  expect(await row.getByRole("button", { name: "Retry" }).isVisible()).toBe(true);
  const stored = await org.api<Execution>("GET", `/executions/${triggered.body.executionId}`);
  expect(stored.body.status).toBe("cancelled");

  // The history filters by the new status.
  await page.getByLabel("Status").selectOption("cancelled");
  await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 10_000 }).toBe(1);
  await shot(page, "43-history-cancelled");
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
