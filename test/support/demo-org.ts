import { env } from "cloudflare:test";
import { createDb } from "../../src/db/client";
import { organizations } from "../../src/db/schema";

/** A fresh organization per test, so no test depends on another's data. */
export async function createOrganization(name = "Test org"): Promise<string> {
  const id = crypto.randomUUID();
  await createDb(env.DB).insert(organizations).values({ id, name, createdAt: new Date(), updatedAt: new Date() });
  return id;
}
