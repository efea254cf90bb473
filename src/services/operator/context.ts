import type { Db } from "../../db/client";

/** The operator (the team that runs the service) acts across organizations, authenticated by its token, not as a user. */
export type OperatorContext = { db: Db; env: Env; now: Date };

/** Operator actions are audited in the organization they concern, with no user as the actor. */
export const operatorActor = (ctx: OperatorContext, organizationId: string) => ({ db: ctx.db, now: ctx.now, auth: { organizationId, actorId: null } });
