import { and, eq } from "drizzle-orm";
import { reportExecutions } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import type { ServiceContext } from "../context";
import { toExecutionDto } from "./dto";
import { findExecution } from "./find";

/** Admins pin an execution so that retention keeps its file (a critical report's backup). */
export async function setExecutionPinned({ ctx, id, pinned }: { ctx: ServiceContext; id: string; pinned: boolean }) {
  requireRole(ctx.auth, "admin");
  const execution = await findExecution(ctx, id);
  await ctx.db.batch([
    ctx.db
      .update(reportExecutions)
      .set({ pinned })
      .where(and(eq(reportExecutions.id, id), eq(reportExecutions.organizationId, ctx.auth.organizationId))),
    auditInsert(ctx, { type: pinned ? "report_execution.pinned" : "report_execution.unpinned", targetType: "report_execution", targetId: id }),
  ]);
  return toExecutionDto({ ...execution, pinned });
}
