import { quotasOf } from "../../domain/quotas";
import { usageOf } from "../../domain/usage";
import { liveApiKeyCount } from "../api-keys/live-count";
import type { OperatorContext } from "../operator/context";
import { activeReportCount, reportCount } from "../scheduled-reports/quotas";

/** An organization's quotas in force, the operator's overrides, and what it uses of them. */
export async function quotasWithUsage(ctx: OperatorContext, organizationId: string) {
  const scope = { ...ctx, auth: { organizationId } };
  const [{ quotas, overrides }, usage, activeReports, reports, apiKeys] = await Promise.all([
    quotasOf(ctx.db, ctx.env, organizationId),
    usageOf(ctx.env.DB, organizationId, ctx.now),
    activeReportCount(scope),
    reportCount(scope),
    liveApiKeyCount(scope),
  ]);
  return { quotas, overrides, usage: { activeReports, reports, apiKeys, storageBytes: usage.storageBytes, emailsToday: usage.emailsToday } };
}
