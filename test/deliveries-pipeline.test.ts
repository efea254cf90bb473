import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { reportDeliveries } from "../src/db/schema";
import { api, newMember, newOrganization, unique } from "./support/api";
import { callRoutes, db, fake, hookUrl } from "./support/delivery-factories";
import { reportWithData } from "./support/pipeline";

describe("a report with an email, a Slack and a webhook recipient, run now", () => {
  it("ends with three sent deliveries through the real queues, each visible with its attempts", async () => {
    const to = `${unique("e2e")}@example.com`;
    const slack = hookUrl("slack");
    const webhook = hookUrl();
    const { admin, report } = await reportWithData({
      format: "csv",
      reportType: "ticket_backlog",
      parameters: {},
      recipients: [
        { type: "email", value: to },
        { type: "slack", value: slack },
        { type: "webhook", value: webhook },
      ],
    });
    const run = await api(`/api/scheduled-reports/${report.id}/run`, { method: "POST", token: admin.token });
    expect(run.status).toBe(202);
    const { executionId } = run.body;

    const deliveries = () =>
      db()
        .select()
        .from(reportDeliveries)
        .where(and(eq(reportDeliveries.executionId, executionId), eq(reportDeliveries.organizationId, admin.organizationId)));
    await vi.waitFor(async () => expect((await deliveries()).map((d) => d.status)).toEqual(["sent", "sent", "sent"]), { timeout: 20_000, interval: 250 });

    const [mail] = await fake.requests(`"to":["${to}"]`);
    const mailBody = JSON.parse(mail!.body);
    expect(mailBody.subject).toBe(`Scheduled Report: ${report.name}`);
    expect(mailBody.attachments[0].filename).toMatch(/\.csv$/);
    expect(await fake.requestsTo(new URL(slack).pathname)).toHaveLength(1);
    const [hook] = await fake.requestsTo(new URL(webhook).pathname);
    const secret = (await callRoutes("/api/settings/webhook-secret", { token: admin.token })).body.secret;
    expect(new Webhook(secret).verify(hook!.body, hook!.headers)).toMatchObject({
      event: "report.generated",
      execution_id: executionId,
      report_id: report.id,
      format: "csv",
    });

    // The execution shows its deliveries; each delivery shows its attempt.
    const execution = await api(`/api/executions/${executionId}`, { token: admin.token });
    expect(execution.body.deliveries.map((d: { status: string }) => d.status)).toEqual(["sent", "sent", "sent"]);
    const emailDelivery = (await deliveries()).find((d) => d.recipientType === "email")!;
    const viewer = await newMember(admin, "viewer");
    const detail = await callRoutes(`/api/deliveries/${emailDelivery.id}`, { token: viewer.token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      status: "sent",
      attempts: 1,
      recipientValue: to,
      history: [{ attempt: 1, outcome: "sent", providerMessageId: emailDelivery.providerMessageId }],
    });
    const stranger = await newOrganization();
    expect((await callRoutes(`/api/deliveries/${emailDelivery.id}`, { token: stranger.token })).status).toBe(404);
    expect((await callRoutes(`/api/deliveries/${emailDelivery.id}`)).status).toBe(401);
  });
});
