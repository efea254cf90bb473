import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { HTTPException } from "hono/http-exception";
import { inject } from "vitest";
import { createDb } from "../../src/db/client";
import { organizations, type Recipient, reportDeliveries, reportExecutions, scheduledReports } from "../../src/db/schema";
import { DomainError } from "../../src/errors";
import { handleError } from "../../src/http/errors";
import { requireAuth } from "../../src/http/middleware/auth";
import { jsonBody } from "../../src/http/middleware/json-body";
import { requestContext } from "../../src/http/middleware/request-context";
import { newRouter } from "../../src/http/router";
import { deliveriesRoutes } from "../../src/http/routes/deliveries";
import { emailBouncesRoutes } from "../../src/http/routes/email-bounces";
import { outboxRoutes } from "../../src/http/routes/outbox";
import { webhookSecretRoutes } from "../../src/http/routes/webhook-secret";
import type { DeliveryJob } from "../../src/jobs/messages";
import { newTraceId } from "../../src/lib/trace";
import { newOrganization, type TestUser, unique } from "./api";
import type { RecordedRequest, ScriptedResponse } from "./fake-services/server";
import { consume } from "./pipeline";

export const db = () => createDb(env.DB);

/* ---------- the fake outside world (test/support/fake-services) ---------- */

export const fakeUrl = () => inject("fakeServices").url;

export const fake = {
  async requests(match: string): Promise<RecordedRequest[]> {
    return (await fetch(`${fakeUrl()}/__requests?match=${encodeURIComponent(match)}`)).json();
  },
  /** Requests to exactly this path (not ones that merely mention it, like a notice email quoting a URL). */
  async requestsTo(path: string): Promise<RecordedRequest[]> {
    return (await fake.requests(path)).filter((r) => r.path === path);
  },
  /** The next requests containing `match` get these answers, in order. */
  async script(match: string, responses: ScriptedResponse[]) {
    await fetch(`${fakeUrl()}/__script`, { method: "POST", body: JSON.stringify({ match, responses }) });
  },
  async dns(name: string, addresses: string[]) {
    await fetch(`${fakeUrl()}/__dns`, { method: "POST", body: JSON.stringify({ name, addresses }) });
  },
  /** The channels the Slack app with this bot token can see (and whether it is in each). */
  async slackChannels(token: string, channels: { id: string; name: string; is_member: boolean }[]) {
    await fetch(`${fakeUrl()}/__slack/channels`, { method: "POST", body: JSON.stringify({ token, channels }) });
  },
  /**
   * The files the local send_email binding wrote for the message with this id (text, HTML,
   * attachments). The binding writes them in the background (ctx.waitUntil) after send() has
   * answered, so this waits until `count` files are there, for at most 10 s.
   */
  async localEmail(messageId: string, count: number): Promise<LocalEmailFile[]> {
    const id = messageId.replace(/^<|>$/g, "");
    const deadline = Date.now() + 10_000;
    for (;;) {
      const files: LocalEmailFile[] = await (await fetch(`${fakeUrl()}/__local-email?id=${encodeURIComponent(id)}`)).json();
      if (files.length >= count || Date.now() > deadline) return files;
      await new Promise((r) => setTimeout(r, 100));
    }
  },
};

export type LocalEmailFile = { kind: string; name: string; size: number; text: string | null };

/** A customer endpoint on the fake server, unique to the test. */
export const hookUrl = (kind: "hooks" | "slack" | "teams" = "hooks") => `${fakeUrl()}/${kind}/${unique("t")}`;

/* ---------- rows ---------- */

type FixtureOptions = {
  recipients: Recipient[];
  /** The report file's bytes (default: a small CSV). */
  file?: Uint8Array;
  format?: "csv" | "xlsx" | "pdf";
  reportName?: string;
  allowedEmailDomains?: string[];
  /** An existing organization (and its admin) instead of a new one. */
  admin?: TestUser;
};

export const csvBytes = (text = "date,region,revenue\r\n2026-11-20,EU,1200.5\r\n") => new TextEncoder().encode(text);

/**
 * A completed execution with its file in R2 and one pending delivery per recipient, written
 * directly (no generation run), in a fresh organization whose admin created the report.
 */
export async function deliveryFixture(opts: FixtureOptions) {
  const admin = opts.admin ?? (await newOrganization());
  const d = db();
  if (opts.allowedEmailDomains) {
    await d.update(organizations).set({ allowedEmailDomains: opts.allowedEmailDomains }).where(eq(organizations.id, admin.organizationId));
  }
  const now = new Date();
  const reportId = crypto.randomUUID();
  const format = opts.format ?? "csv";
  const reportName = opts.reportName ?? unique("Weekly sales");
  await d.insert(scheduledReports).values({
    id: reportId,
    organizationId: admin.organizationId,
    createdBy: admin.userId,
    name: reportName,
    reportType: "sales_summary",
    parameters: {},
    format,
    scheduleConfig: { cron: "0 9 * * 1" },
    cron: "0 9 * * 1",
    timezone: "UTC",
    recipients: opts.recipients,
    createdAt: now,
    updatedAt: now,
  });
  const executionId = crypto.randomUUID();
  const fileName = `weekly-sales_2026-11-23_0900.${format}`;
  const fileKey = `${admin.organizationId}/${reportId}/${executionId}/${fileName}`;
  const file = opts.file ?? csvBytes();
  await env.REPORTS.put(fileKey, file, { httpMetadata: { contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/octet-stream" } });
  await d.insert(reportExecutions).values({
    id: executionId,
    organizationId: admin.organizationId,
    scheduledReportId: reportId,
    scheduledFor: new Date("2026-11-23T09:00:00Z"),
    trigger: "manual",
    triggeredBy: admin.userId,
    status: "completed",
    attempt: 1,
    format,
    startedAt: new Date(now.getTime() - 2000),
    completedAt: now,
    durationMs: 2000,
    rowCount: 1,
    traceId: newTraceId(),
    fileKey,
    fileName,
    fileSize: file.byteLength,
    createdAt: now,
  });
  const deliveries = opts.recipients.map((r) => ({
    id: crypto.randomUUID(),
    organizationId: admin.organizationId,
    executionId,
    recipientType: r.type,
    recipientValue: r.value,
    status: "pending" as const,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  }));
  if (deliveries.length) await d.insert(reportDeliveries).values(deliveries);
  const job = (deliveryId: string): DeliveryJob => ({ kind: "deliver", deliveryId, executionId, organizationId: admin.organizationId });
  return { admin, reportId, reportName, executionId, fileKey, fileName, file, deliveryIds: deliveries.map((x) => x.id), job };
}

export async function deliveryRow(id: string) {
  const [row] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, id));
  return row!;
}

/** Time passes: the delivery's scheduled retry is due now. */
export async function makeDue(id: string) {
  await db()
    .update(reportDeliveries)
    .set({ nextAttemptAt: new Date(Date.now() - 1000) })
    .where(eq(reportDeliveries.id, id));
}

/* ---------- the queue ---------- */

/** Hands delivery messages to the Worker's queue handler (see consume), with binding overrides. */
export async function consumeDeliveries(bodies: unknown[], opts: { attempts?: number; env?: Partial<Env> } = {}) {
  const result = await consume("report-delivery", bodies, opts);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length, delays: result.delays };
}

/* ---------- the HTTP routes, mounted as app.ts is asked to mount them ---------- */

export function deliveryRoutesApp() {
  const api = newRouter();
  for (const prefix of ["/settings", "/outbox", "/deliveries"]) api.use(`${prefix}/*`, requireAuth).use(prefix, requireAuth);
  api.route("/settings/webhook-secret", webhookSecretRoutes());
  api.route("/email/bounces", emailBouncesRoutes());
  api.route("/outbox", outboxRoutes());
  api.route("/deliveries", deliveriesRoutes());
  const app = newRouter();
  app.use("/api/*", requestContext, jsonBody);
  app.route("/api", api);
  app.onError((err, c) => handleError(err instanceof HTTPException ? new DomainError("bad_request", err.message) : err, c));
  return app;
}

export async function callRoutes(
  path: string,
  init: { method?: string; token?: string; body?: string; headers?: Record<string, string>; env?: Partial<Env> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await deliveryRoutesApp().request(
    `http://127.0.0.1:8787${path}`,
    { method: init.method ?? (init.body === undefined ? "GET" : "POST"), headers, body: init.body },
    { ...env, ...init.env },
  );
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers, text };
}
