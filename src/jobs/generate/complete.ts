import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { toStatement } from "../../db/statements";
import { auditInsertIf, systemActor } from "../../domain/audit";
import { fileRecordedStatement } from "../../domain/usage";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { enqueueDeliveries } from "../messages";
import type { ProducedFile } from "./produce-file";

type Execution = typeof reportExecutions.$inferSelect;

/**
 * Records the file, then one delivery per recipient (unique per execution and recipient) and one
 * delivery message per delivery created. The deliveries are only inserted if this attempt really
 * completed the execution, all in one batch (one round trip). A run the delivery condition holds back completes
 * without deliveries, with the reason; its file is removed if the report does not keep such files.
 */
export async function completeExecution(env: Env, db: Db, execution: Execution, file: ProducedFile, now: Date) {
  const t = now.getTime();
  const kept = !(file.deliverySkipped && !file.keepFile);
  const [, update, created] = await env.DB.batch<{ id: string }>([
    // The organization's storage counter grows by a kept file, in the same transaction that records it.
    fileRecordedStatement(
      env.DB,
      { organizationId: execution.organizationId, executionId: execution.id, bytes: kept ? file.size : 0, files: kept ? 1 : 0 },
      now,
    ),
    toStatement(
      env.DB,
      db
        .update(reportExecutions)
        .set({
          status: "completed",
          completedAt: now,
          durationMs: t - (execution.startedAt ?? now).getTime(),
          rowCount: file.rowCount,
          fileKey: file.key,
          fileName: file.fileName,
          fileSize: file.size,
          errorMessage: file.note ?? null,
          resultHash: file.resultHash,
          deliverySkipped: file.deliverySkipped,
          fileExpiredAt: file.deliverySkipped && !file.keepFile ? now : null,
        })
        .where(and(eq(reportExecutions.id, execution.id), eq(reportExecutions.status, "running"))),
    ),
    // One statement for every recipient, returning the deliveries it created (none on a repeat).
    env.DB.prepare(
      `insert into report_deliveries (id, organization_id, report_execution_id, recipient_type, recipient_value, status, attempts, created_at, updated_at)
       select json_extract(value, '$.id'), ?1, ?2, json_extract(value, '$.type'), json_extract(value, '$.value'), 'pending', 0, ?3, ?3
         from json_each(?4)
        where exists (select 1 from report_executions where id = ?2 and status = 'completed' and file_key = ?5)
       on conflict do nothing
       returning id`,
    ).bind(
      execution.organizationId,
      execution.id,
      t,
      JSON.stringify((file.deliverySkipped ? [] : file.recipients).map((r) => ({ id: newId(), type: r.type, value: r.value }))),
      file.key,
    ),
    // What routes the report's next runs (a large one goes to the heavy queue).
    env.DB.prepare(
      `update scheduled_reports set last_row_count = ?1
        where id = ?2 and exists (select 1 from report_executions where id = ?3 and status = 'completed' and file_key = ?4)`,
    ).bind(file.rowCount, execution.scheduledReportId, execution.id, file.key),
    auditInsertIf(
      env.DB,
      systemActor(db, now, execution),
      {
        type: "report_execution.completed",
        targetType: "report_execution",
        targetId: execution.id,
        data: { rowCount: file.rowCount, fileSize: file.size, ...(file.deliverySkipped ? { deliverySkipped: file.deliverySkipped } : {}) },
      },
      "exists (select 1 from report_executions where id = ? and status = 'completed' and file_key = ?)",
      execution.id,
      file.key,
    ),
  ]);
  if (update?.meta.changes === 0) {
    // The watchdog gave up on this attempt while it ran: its file is not the execution's.
    log("warn", "execution was no longer running when its file was ready; file discarded", { executionId: execution.id, traceId: execution.traceId });
    await env.REPORTS.delete(file.key);
    return;
  }
  if (file.deliverySkipped && !file.keepFile) await env.REPORTS.delete(file.key);
  await enqueueDeliveries(
    env,
    (created?.results ?? []).map((d) => ({ id: d.id, executionId: execution.id, organizationId: execution.organizationId, traceId: execution.traceId })),
  );
  log("info", "generation completed", {
    executionId: execution.id,
    scheduledReportId: execution.scheduledReportId,
    organizationId: execution.organizationId,
    traceId: execution.traceId,
    rowCount: file.rowCount,
    fileSize: file.size,
    deliverySkipped: file.deliverySkipped,
    durationMs: file.durationMs,
    ...file.steps,
  });
}
