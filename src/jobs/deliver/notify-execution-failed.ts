import { and, eq } from "drizzle-orm";
import { executionFailedEmail } from "../../channels/email-templates";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { done, type JobOutcome } from "../outcome";
import { findReport } from "./load";
import { firstUserEmail, sendNotice } from "./notices";

/**
 * The creator's notice for an execution that failed for good (enqueued by failExecution). Keyed by
 * the failure's time: redelivery sends nothing twice, and an execution retried since is not
 * reported as failed.
 */
export async function notifyExecutionFailed(env: Env, job: { executionId: string; organizationId: string }, now: Date): Promise<JobOutcome> {
  const db = createDb(env.DB);
  const [execution] = await db
    .select()
    .from(reportExecutions)
    .where(and(eq(reportExecutions.id, job.executionId), eq(reportExecutions.organizationId, job.organizationId)));
  if (!execution) return done("execution not found");
  if (execution.status !== "failed") return done(`execution is ${execution.status} now; no failure to report`);
  const report = await findReport(db, execution.scheduledReportId, execution.organizationId);
  const reportName = report?.name ?? "Deleted report";
  const failedAt = execution.completedAt ?? execution.createdAt;
  return sendNotice(
    env,
    db,
    {
      key: `execution_failed:${execution.id}:${failedAt.getTime()}`,
      kind: "execution_failed",
      organizationId: execution.organizationId,
      executionId: execution.id,
      recipient: await firstUserEmail(db, execution.organizationId, [report?.createdBy ?? null, execution.triggeredBy]),
      via: {
        channel: "email",
        content: () =>
          executionFailedEmail({
            reportName,
            executionId: execution.id,
            scheduledFor: execution.scheduledFor,
            attempts: execution.attempt,
            error: execution.errorMessage ?? "unknown",
            appUrl: config(env).appUrl,
          }),
      },
    },
    now,
  );
}
