import { requireReportManager } from "../../domain/policy";
import { enforceRateLimit } from "../../domain/rate-limit";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";
import { startRun } from "./start-run";

/**
 * "Run now": an execution outside the schedule, through the same queue, lock and consumer as a
 * scheduled one. Two presses in the same millisecond are one run (the unique report + time key).
 */
export async function runNow({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const report = await findScheduledReport(ctx, id);
  requireReportManager(ctx.auth, report);
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "runs for your organization");
  const { executionId } = await startRun(ctx, report, { scheduledFor: ctx.now, trigger: "manual" });
  return { executionId };
}
