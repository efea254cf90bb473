import { z } from "@hono/zod-openapi";

export const AuditArchive = z
  .object({
    day: z.string().openapi({ description: "The UTC day of the events it holds", example: "2025-11-30" }),
    bytes: z.number(),
    events: z.number(),
  })
  .openapi("AuditArchive");

export const DayParam = z.object({
  day: z.iso.date().openapi({ param: { name: "day", in: "path" }, example: "2025-11-30" }),
});
