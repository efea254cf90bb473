import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { UnauthorizedError } from "../../errors";
import { burnPasswordCheck, verifyPassword } from "../../lib/password";
import { toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type LoginInput = { email: string; password: string };

/** Unknown email and wrong password get the same answer, in about the same time. */
export async function login({ db, env, now, input }: { db: Db; env: Env; now: Date; input: LoginInput }) {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.toLowerCase())).limit(1);
  if (!user) {
    await burnPasswordCheck(input.password);
    throw new UnauthorizedError("Invalid email or password");
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) throw new UnauthorizedError("Invalid email or password");
  const { session, insert } = await prepareSession(env, db, user, now);
  await insert;
  return { user: toUserDto(user), session };
}
