import { z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it", example: "srk_Ab3dEf7H" }),
    createdBy: z.string().nullable().openapi({ description: "The id of the user who created it; null once they left the organization and the key was kept" }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreateApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    expiresAt: z.iso.datetime({ offset: true }).nullish(),
  })
  .strict()
  .openapi("CreateApiKey");
