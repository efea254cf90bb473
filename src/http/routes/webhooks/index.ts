import { z } from "@hono/zod-openapi";
import type { Router } from "../../router";

/*
 * What the service sends to a `webhook` recipient, for the OpenAPI document's `webhooks`: receivers
 * generate their types and checks from it. The payload is built by src/channels/webhook.ts; a test
 * checks what a real receiver gets against this description.
 */
const signatureHeaders = z.object({
  "webhook-id": z.string().openapi({ description: "The delivery id: the same on every retry of that delivery; de-duplicate on it" }),
  "webhook-timestamp": z.string().openapi({ description: "Unix seconds of this attempt" }),
  "webhook-signature": z.string().openapi({
    description:
      'v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"> under the organization\'s whsec_ secret; two, space-separated, during a rotation',
  }),
});

export const ReportGeneratedSchema = z
  .object({
    event: z.literal("report.generated"),
    report_id: z.string(),
    report_name: z.string(),
    execution_id: z.string(),
    file_url: z
      .url()
      .openapi({ description: "A signed download link (GET, no session): 7 days for a run's file, 24 hours for Send a test's sample; 410 after" }),
    format: z.enum(["csv", "xlsx", "pdf"]),
    generated_at: z.iso.datetime(),
    file_size: z.number().int().nonnegative().nullable().openapi({ description: "Bytes" }),
    row_count: z.number().int().nonnegative().nullable().openapi({ description: "Rows in the file" }),
    scheduled_for: z.iso
      .datetime()
      .openapi({ description: "The time the run was scheduled for (for a run started by hand or a trigger, when it was asked for)" }),
    parameters: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The parameters the run used: the report's, with a trigger's overrides over them ({sample: true} for Send a test)" }),
  })
  .openapi("ReportGenerated");

const receiverAnswers = {
  200: { description: "Any 2xx: sent" },
  410: { description: "Gone: the organization sends nothing more to this URL" },
  429: { description: "Retried after 1, 5 and 30 minutes, at least Retry-After (as are 408, 5xx and no answer within 15 s)" },
};

export function registerWebhooks(registry: Router["openAPIRegistry"]) {
  registry.registerWebhook({
    method: "post",
    path: "report.generated",
    summary: "A report's file is ready (also what Send a test sends, with a sample file)",
    description:
      "One POST per completed run and webhook recipient, signed per Standard Webhooks. Redirects are not followed; any other 4xx fails the delivery without a retry.",
    request: { headers: signatureHeaders, body: { content: { "application/json": { schema: ReportGeneratedSchema } }, required: true } },
    responses: receiverAnswers,
  });
}
