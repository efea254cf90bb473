import { z } from "@hono/zod-openapi";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../../lib/header-text";

/** What identifies an organization's rows in the report data sources; bound as :tenant. */
const tenantKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:@-]+$/, "Letters, digits and . _ : @ - only");

export const OperatorOrganizationSchema = z
  .object({ id: z.string(), name: z.string(), dataTenantKey: z.string(), createdAt: z.string() })
  .openapi("OperatorOrganization");

export const OrganizationUsageSchema = z
  .object({ users: z.number().int(), reports: z.number().int(), runsLast30Days: z.number().int(), storageBytes: z.number().int() })
  .openapi("OrganizationUsage");

export const CreateOrganizationSchema = z
  .object({
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    dataTenantKey: tenantKey.optional().openapi({ description: "Defaults to the new organization's id" }),
    admin: z.object({ email: z.email().max(254), name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE) }).strict(),
  })
  .strict()
  .openapi("CreateOrganization");

export const UpdateOrganizationSchema = z
  .object({
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE).optional(),
    dataTenantKey: tenantKey.nullable().optional().openapi({ description: "null maps the organization back to its own id" }),
    dryRun: z.boolean().optional().openapi({ description: "Answer what the change would do and what the key matches, changing nothing" }),
    force: z.boolean().optional().openapi({ description: "Map onto a key that matches no rows anyway (otherwise 422 tenant_key_unmatched)" }),
  })
  .strict()
  .openapi("UpdateOrganization");

export const TenantKeyMatchesSchema = z
  .object({
    sources: z.array(
      z.object({
        source: z.string().openapi({ description: "The data source's binding, e.g. DB or BILLING" }),
        kind: z.enum(["d1", "postgres"]),
        status: z.enum(["ok", "not_configured", "error"]),
        tables: z.array(z.object({ table: z.string(), column: z.string(), rows: z.number().int().nullable() })),
        rows: z.number().int().nullable(),
        error: z.string().optional(),
      }),
    ),
    totalRows: z.number().int(),
  })
  .openapi("TenantKeyMatches", { description: "Rows the data tenant key matches, per data source, in the tables that carry the tenant column" });
