import type { Role } from "./db/schema";

/**
 * Who is calling: set by the auth middleware, read by every service verb. A person signed in with a
 * session (userId and sessionId set), or a program with an API key (apiKeyId set, acting with the
 * key's role). `actorId` is whichever of the two acts: what the audit log and "triggered by" record.
 */
export type AuthContext = {
  organizationId: string;
  role: Role;
  actorId: string;
  userId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
};

export type AppVariables = {
  requestId: string;
  auth: AuthContext;
};

export type AppEnv = { Bindings: Env; Variables: AppVariables };
