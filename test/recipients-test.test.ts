import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { fake, hookUrl } from "./support/delivery-factories";

describe("POST /api/recipients/test", () => {
  it("sends a signed test webhook and a test email through the real channels", async () => {
    const admin = await newOrganization();
    const url = hookUrl();
    const hook = await api("/api/recipients/test", { token: admin.token, body: { type: "webhook", value: url } });
    expect(hook.status).toBe(200);
    expect(hook.body.sent).toBe(true);
    const [received] = await fake.requestsTo(new URL(url).pathname);
    const { secret } = (await api("/api/settings/webhook-secret", { token: admin.token })).body;
    const payload = new Webhook(secret).verify(received!.body, received!.headers as Record<string, string>) as Record<string, unknown>;
    expect(payload).toMatchObject({ event: "report.generated", report_name: "Test message", format: "csv" });

    const email = await api("/api/recipients/test", { token: admin.token, body: { type: "email", value: "ops@example.com" } });
    expect(email.body).toMatchObject({ sent: true });
  });

  it("answers 422 when the far side refuses, and checks the recipient like a saved one", async () => {
    const admin = await newOrganization();
    const url = hookUrl();
    await fake.script(new URL(url).pathname, [{ status: 404 }]);
    expectError(await api("/api/recipients/test", { token: admin.token, body: { type: "webhook", value: url } }), 422, "test_delivery_failed");
    expectError(await api("/api/recipients/test", { token: admin.token, body: { type: "webhook", value: "https://10.0.0.1/hook" } }), 400, "validation_failed");
    expectError(await api("/api/recipients/test", { token: admin.token, body: { type: "email", value: "nobody" } }), 400, "validation_failed");
  });

  it("is for editors and admins", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    expectError(await api("/api/recipients/test", { token: viewer.token, body: { type: "email", value: "ops@example.com" } }), 403);
    expectError(await api("/api/recipients/test", { body: { type: "email", value: "ops@example.com" } }), 401);
  });
});
