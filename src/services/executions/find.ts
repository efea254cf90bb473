import { and, eq } from "drizzle-orm";
import { reportExecutions } from "../../db/schema";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";

export async function findExecution(ctx: Pick<ServiceContext, "db" | "auth">, id: string) {
  const [execution] = await ctx.db
    .select()
    .from(reportExecutions)
    .where(and(eq(reportExecutions.id, id), eq(reportExecutions.organizationId, ctx.auth.organizationId)));
  if (!execution) throw new NotFoundError("Execution");
  return execution;
}
