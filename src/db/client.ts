import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof createDb>;

export function createDb(d1: D1Database | D1DatabaseSession) {
  // drizzle's d1 driver only uses prepare/batch, which a read session also has.
  return drizzle(d1 as D1Database, { schema });
}
