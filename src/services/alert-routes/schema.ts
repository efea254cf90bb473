import { z } from "@hono/zod-openapi";

const url = z.url({ protocol: /^https?$/ }).max(2048);

export const AlertRoutesSchema = z
  .object({
    emailAdmins: z.boolean().openapi({ description: "Alerts are emailed to the organization's admins" }),
    slackUrl: z.string().nullable().openapi({ description: "The Slack incoming webhook, masked (it is a credential); null when none" }),
    webhookUrl: z.string().nullable().openapi({ description: "The webhook that receives signed alert.fired / alert.resolved events; masked for viewers" }),
  })
  .openapi("AlertRoutes");

export const UpdateAlertRoutesSchema = z
  .object({
    emailAdmins: z.boolean().optional(),
    slackUrl: url.nullable().optional().openapi({ description: "A Slack incoming webhook URL; null removes it; omitted keeps it" }),
    webhookUrl: url.nullable().optional().openapi({ description: "null removes it; omitted keeps it" }),
  })
  .strict()
  .openapi("UpdateAlertRoutes");
export type UpdateAlertRoutesInput = z.infer<typeof UpdateAlertRoutesSchema>;
