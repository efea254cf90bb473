import { quotasOf } from "../../domain/quotas";
import { usageOf } from "../../domain/usage";
import type { OperatorContext } from "../operator/context";
import { activeReportCount } from "../scheduled-reports/quotas";

/** An organization's quotas in force, the operator's overrides, and what it uses of them. */
export async function quotasWithUsage(ctx: OperatorContext, organizationId: string) {
  const [{ quotas, overrides }, usage, activeReports] = await Promise.all([
    quotasOf(ctx.db, ctx.env, organizationId),
    usageOf(ctx.env.DB, organizationId, ctx.now),
    activeReportCount({ ...ctx, auth: { organizationId } }),
  ]);
  return { quotas, overrides, usage: { activeReports, storageBytes: usage.storageBytes, emailsToday: usage.emailsToday } };
}
