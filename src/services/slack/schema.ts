import { z } from "@hono/zod-openapi";

export const SlackConnectionSchema = z
  .object({
    connected: z.boolean(),
    team: z.string().nullable().openapi({ description: "The Slack workspace the app belongs to", example: "Acme" }),
    connectedAt: z.string().nullable(),
  })
  .openapi("SlackConnection");

export const ConnectSlackSchema = z
  .object({
    botToken: z
      .string()
      .trim()
      .max(255)
      .regex(/^xoxb-[A-Za-z0-9-]+$/, "A Slack bot token starts with xoxb- (OAuth & Permissions → Bot User OAuth Token)")
      .openapi({ description: "The app's Bot User OAuth Token; stored encrypted, never shown again" }),
  })
  .strict()
  .openapi("ConnectSlack");
export type ConnectSlackInput = z.infer<typeof ConnectSlackSchema>;
