import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { DomainError } from "./errors";
import { errorBody, handleError } from "./http/errors";
import { jsonBody } from "./http/middleware/json-body";
import { requestContext } from "./http/middleware/request-context";
import { completeDocument } from "./http/openapi-document";
import { newRouter } from "./http/router";
import { alertsRoutes } from "./http/routes/alerts";
import { apiKeysRoutes } from "./http/routes/api-keys";
import { auditRoutes } from "./http/routes/audit";
import { auditEventsRoutes } from "./http/routes/audit-events";
import { authRoutes } from "./http/routes/auth";
import { deadLettersRoutes } from "./http/routes/dead-letters";
import { deliveriesRoutes } from "./http/routes/deliveries";
import { devRoutes } from "./http/routes/dev";
import { emailBouncesRoutes } from "./http/routes/email-bounces";
import { executionsRoutes } from "./http/routes/executions";
import { filesRoutes } from "./http/routes/files";
import { metricsRoutes } from "./http/routes/metrics";
import { operatorRoutes } from "./http/routes/operator";
import { outboxRoutes } from "./http/routes/outbox";
import { recipientsRoutes } from "./http/routes/recipients";
import { reportTypesRoutes } from "./http/routes/report-types";
import { scheduledReportsRoutes } from "./http/routes/scheduled-reports";
import { schedulesRoutes } from "./http/routes/schedules";
import { settingsRoutes } from "./http/routes/settings";
import { slackRoutes } from "./http/routes/slack";
import { usersRoutes } from "./http/routes/users";
import { webhookSecretRoutes } from "./http/routes/webhook-secret";
import { registerWebhooks } from "./http/routes/webhooks";

export function newApp() {
  const api = newRouter();
  // Each resource's router attaches its own authentication (http/router.ts protectedRouter); auth,
  // files (the link is the credential), bounce webhooks (signed by the provider), health and the
  // OpenAPI document are public.

  api.get("/health", (c) => c.json({ ok: true }));
  api.route("/", authRoutes());
  api.route("/users", usersRoutes());
  api.route("/api-keys", apiKeysRoutes());
  api.route("/report-types", reportTypesRoutes());
  api.route("/scheduled-reports", scheduledReportsRoutes());
  api.route("/schedules", schedulesRoutes());
  api.route("/executions", executionsRoutes());
  api.route("/files", filesRoutes());
  api.route("/audit-events", auditEventsRoutes());
  api.route("/audit", auditRoutes());
  api.route("/settings", settingsRoutes());
  api.route("/settings/webhook-secret", webhookSecretRoutes());
  api.route("/settings/slack", slackRoutes());
  api.route("/deliveries", deliveriesRoutes());
  api.route("/dead-letters", deadLettersRoutes());
  api.route("/recipients", recipientsRoutes());
  api.route("/outbox", outboxRoutes());
  // Providers sign their bounce events; there is no session to check.
  api.route("/email/bounces", emailBouncesRoutes());
  api.route("/metrics", metricsRoutes());
  api.route("/alerts", alertsRoutes());
  api.route("/dev", devRoutes());
  // The team that runs the service: its own token, never a user's session.
  api.route("/operator", operatorRoutes());

  api.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description: "A session token (from sign-in) or an API key (srk_…, from Settings → API keys)",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "OperatorToken", { type: "http", scheme: "bearer", description: "The OPERATOR_TOKEN secret" });
  registerWebhooks(api.openAPIRegistry);
  let document: object | undefined;
  api.get("/openapi.json", (c) => {
    document ??= completeDocument(
      api.getOpenAPI31Document({
        openapi: "3.1.0",
        info: { title: "Scheduled Reports API", version: "0.1.0", description: "Schedule, render, store and deliver reports." },
        servers: [{ url: "/api" }],
      }),
    );
    return c.json(document);
  });

  const app = newRouter();
  // The API answers JSON and files only: nothing in it may be framed, sniffed or run as a page.
  app.use(
    "/api/*",
    secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }, xFrameOptions: "DENY", referrerPolicy: "no-referrer" }),
  );
  app.use("/api/*", requestContext, jsonBody);
  app.route("/api", api);
  app.notFound((c) => c.json(errorBody(c, "not_found", `No route ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      return handleError(new DomainError("bad_request", err.message || "Bad request"), c);
    }
    return handleError(err, c);
  });
  return app;
}
