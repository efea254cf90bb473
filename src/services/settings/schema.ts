import { z } from "@hono/zod-openapi";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../lib/header-text";

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

export const SettingsSchema = z
  .object({
    retentionDays: z.number().int(),
    emailSenderName: z.string().nullable(),
    allowedEmailDomains: z.array(z.string()),
    pdfBranding: PdfBrandingSchema,
    disabledReportTypes: z.array(z.string()),
  })
  .openapi("Settings");

export const UpdateSettingsSchema = z
  .object({
    retentionDays: z.number().int().min(1).max(3650).optional(),
    emailSenderName: z.string().trim().min(1).max(80).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE).nullable().optional(),
    allowedEmailDomains: z.array(domain).max(50).optional(),
    pdfBranding: PdfBrandingSchema.optional(),
    disabledReportTypes: z.array(z.string().max(64)).max(100).optional(),
  })
  .strict()
  .openapi("UpdateSettings");
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsSchema>;
