import { eq } from "drizzle-orm";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { organizations, users } from "../../db/schema";
import { ConflictError, ForbiddenError } from "../../errors";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { toOrganizationDto, toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type SignupInput = { email: string; password: string; name: string; organizationName: string };

export async function signup({ db, env, now, input }: { db: Db; env: Env; now: Date; input: SignupInput }) {
  // A company deployment provisions organizations through the operator API instead.
  if (config(env).signup === "closed") throw new ForbiddenError("Sign-up is closed on this service; ask its operator for an invitation");
  const email = input.email.toLowerCase();
  const taken = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (taken.length) throw new ConflictError("An account with this email already exists");

  const org = { id: newId(), name: input.organizationName, createdAt: now, updatedAt: now };
  const user = {
    id: newId(),
    organizationId: org.id,
    email,
    name: input.name,
    role: "admin" as const,
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    updatedAt: now,
  };
  const { session, insert } = await prepareSession(env, db, user, now);
  try {
    // One batch: the organization, its admin and the session exist together or not at all.
    await db.batch([db.insert(organizations).values(org), db.insert(users).values(user), insert]);
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw new ConflictError("An account with this email already exists");
    throw err;
  }
  const [orgRow] = await db.select().from(organizations).where(eq(organizations.id, org.id));
  const [userRow] = await db.select().from(users).where(eq(users.id, user.id));
  return { user: toUserDto(userRow!), organization: toOrganizationDto(orgRow!), session };
}
