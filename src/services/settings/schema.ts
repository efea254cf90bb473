import { z } from "@hono/zod-openapi";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Not a domain name");

export const PdfBrandingSchema = z
  .object({
    logoUrl: z
      .url({ protocol: /^https$/ })
      .max(2048)
      .optional(),
    primaryColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "A colour like #1f6feb")
      .optional(),
    paperSize: z.enum(["A4", "Letter"]).optional(),
  })
  .strict();

/**
 * The display name of the organization's email sender (`"Acme Reports" <reports@…>`). Mail clients
 * show it in place of the address, so it may not look like one, or like a link or a second line:
 * no `@`, no URL or domain name, no control or formatting characters.
 */
const SenderNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((v) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(v), "No control characters (line breaks, tabs, direction marks)")
  .refine((v) => !v.includes("@"), "No @: a sender name may not look like an address")
  .refine((v) => !/[a-z][a-z0-9+.-]*:\/\/|www\.|[a-z0-9-]+\.[a-z]{2,}(?:[/:]|\b)/i.test(v), "No URL or domain name");

export const SettingsSchema = z
  .object({
    retentionDays: z.number().int(),
    emailSenderName: z.string().nullable(),
    allowedEmailDomains: z.array(z.string()),
    pdfBranding: PdfBrandingSchema,
    disabledReportTypes: z.array(z.string()),
    organization: z
      .object({
        id: z.string(),
        dataTenantKey: z.string().openapi({ description: "What the report queries bind as :tenant (the id unless the operator mapped it)" }),
      })
      .optional()
      .openapi({ description: "Admins only: the organization's id and data tenant key" }),
  })
  .openapi("Settings");

export const UpdateSettingsSchema = z
  .object({
    retentionDays: z.number().int().min(1).max(3650).optional(),
    emailSenderName: SenderNameSchema.nullable().optional(),
    allowedEmailDomains: z.array(domain).max(50).optional(),
    pdfBranding: PdfBrandingSchema.optional(),
    disabledReportTypes: z.array(z.string().max(64)).max(100).optional(),
  })
  .strict()
  .openapi("UpdateSettings");
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsSchema>;
