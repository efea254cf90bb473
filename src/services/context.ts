import type { Db } from "../db/client";
import type { AuthContext } from "../env";

/** What every service verb receives: the database, the bindings, the caller and the time. */
export type ServiceContext = {
  db: Db;
  env: Env;
  auth: AuthContext;
  now: Date;
};
