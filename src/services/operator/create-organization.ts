import { eq } from "drizzle-orm";
import { config } from "../../config";
import { organizations, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { ConflictError } from "../../errors";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { randomToken } from "../../lib/secrets";
import { type OperatorContext, operatorActor } from "./context";
import { toOperatorOrganizationDto } from "./dto";
import { prepareInvitation } from "./invitations";
import { requireFreeTenantKey } from "./tenant-key";

export type CreateOrganizationInput = { name: string; dataTenantKey?: string | undefined; admin: { email: string; name: string } };

/**
 * Provisions an organization with its data tenant key and its first admin, who gets a one-time
 * invitation link to set a password (until then the account has an unusable random one).
 */
export async function createOrganization({ ctx, input }: { ctx: OperatorContext; input: CreateOrganizationInput }) {
  const email = input.admin.email.toLowerCase();
  const [taken] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (taken) throw new ConflictError("An account with this email already exists");
  if (input.dataTenantKey) await requireFreeTenantKey(ctx, input.dataTenantKey, null);
  const org = { id: newId(), name: input.name, dataTenantKey: input.dataTenantKey ?? null, createdAt: ctx.now, updatedAt: ctx.now };
  const admin = {
    id: newId(),
    organizationId: org.id,
    email,
    name: input.admin.name,
    role: "admin" as const,
    passwordHash: await hashPassword(randomToken()),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const invitation = await prepareInvitation(ctx, config(ctx.env).appUrl, admin);
  try {
    await ctx.db.batch([
      ctx.db.insert(organizations).values(org),
      ctx.db.insert(users).values(admin),
      invitation.insert,
      auditInsert(operatorActor(ctx, org.id), {
        type: "organization.created",
        targetType: "organization",
        targetId: org.id,
        data: { by: "operator", name: org.name, dataTenantKey: org.dataTenantKey, admin: email },
      }),
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw new ConflictError("The email or the data tenant key is already taken");
    throw err;
  }
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, org.id));
  return { organization: toOperatorOrganizationDto(row!), inviteUrl: invitation.inviteUrl, inviteExpiresAt: invitation.expiresAt.toISOString() };
}
