import type { Role } from "./db/schema";

/** Who is calling: set by the auth middleware, read by every service verb. */
export type AuthContext = {
  userId: string;
  organizationId: string;
  role: Role;
  sessionId: string;
};

export type AppVariables = {
  requestId: string;
  auth: AuthContext;
};

export type AppEnv = { Bindings: Env; Variables: AppVariables };
