import { z } from "@hono/zod-openapi";

export const DeadLetterSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    executionId: z.string().nullable(),
    deliveryId: z.string().nullable(),
    reason: z.string(),
    attempts: z.number().int(),
    createdAt: z.string(),
    replayedAt: z.string().nullable(),
  })
  .openapi("DeadLetter");
