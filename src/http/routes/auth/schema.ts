import { z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../../lib/header-text";

export const PasswordSchema = z.string().min(10, "Use at least 10 characters").max(200);

export const UserSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), organizationId: z.string(), createdAt: z.string() })
  .openapi("User");
export const OrganizationSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi("Organization");

export const SignupSchema = z
  .object({
    email: z.email().max(254),
    password: PasswordSchema,
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    organizationName: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
  })
  .strict()
  .openapi("Signup");

export const ConfirmSignupSchema = z
  .object({ token: z.string().min(16).max(200) })
  .strict()
  .openapi("ConfirmSignup");

export const LoginSchema = z
  .object({ email: z.string().max(254), password: z.string().max(200) })
  .strict()
  .openapi("Login");

export const AcceptInvitationSchema = z
  .object({ token: z.string().min(16).max(200), password: PasswordSchema })
  .strict()
  .openapi("AcceptInvitation");

export const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema })
  .strict()
  .openapi("ChangePassword");

export const PasswordResetRequestSchema = z
  .object({ email: z.email().max(254) })
  .strict()
  .openapi("PasswordResetRequest");

export const PasswordResetConfirmSchema = z
  .object({ token: z.string().min(16).max(200), newPassword: PasswordSchema })
  .strict()
  .openapi("PasswordResetConfirm");
