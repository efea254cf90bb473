import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { UnauthorizedError } from "../../errors";
import { burnPasswordCheck, verifyPassword } from "../../lib/password";
import { toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type LoginInput = { email: string; password: string };

/** Unknown email and wrong password get the same answer, in about the same time. */
export async function login({ db, env, now, input, ip }: { db: Db; env: Env; now: Date; input: LoginInput; ip: string }) {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.toLowerCase())).limit(1);
  if (!user) {
    await burnPasswordCheck(input.password);
    throw new UnauthorizedError("Invalid email or password");
  }
  const actor = { db, now, auth: { organizationId: user.organizationId, actorId: user.id } };
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    // Recorded for the account's organization (an unknown address belongs to none, so it is only refused).
    await auditInsert(actor, { type: "auth.login_failed", targetType: "user", targetId: user.id, data: { ip } });
    throw new UnauthorizedError("Invalid email or password");
  }
  const { session, insert } = await prepareSession(env, db, user, now);
  await db.batch([insert, auditInsert(actor, { type: "auth.login", targetType: "user", targetId: user.id, data: { ip } })]);
  return { user: toUserDto(user), session };
}
