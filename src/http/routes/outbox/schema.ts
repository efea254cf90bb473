import { z } from "@hono/zod-openapi";

const Attachment = z.object({ name: z.string(), contentType: z.string().nullable(), size: z.number().nullable(), url: z.string() }).nullable();
export const OutboxSummary = z
  .object({ id: z.string(), from: z.string(), to: z.string(), subject: z.string(), attachment: Attachment, createdAt: z.string() })
  .openapi("OutboxMessageSummary");
export const OutboxMessage = OutboxSummary.extend({ text: z.string(), html: z.string() }).openapi("OutboxMessage");
