import { and, eq, isNull } from "drizzle-orm";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { apiKeys, reportExecutions, scheduledReports, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { ConflictError, GoneError, NotFoundError } from "../../errors";
import { testFileKey } from "../../storage/keys";
import { type FileLink, issuedToOf, issueFileLink, verifyFileLink } from "../../storage/links";
import type { ServiceContext } from "../context";
import { findExecution } from "./find";

/** A signed link to a completed execution's file, issued to the caller (any role may download). */
export async function createDownloadLink({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const execution = await findExecution(ctx, id);
  if (execution.status !== "completed" || !execution.fileKey) throw new ConflictError("This execution has no file to download");
  if (execution.fileExpiredAt) throw new GoneError("This file is no longer kept (retention)");
  const link = await issueFileLink(ctx.env, { executionId: id, organizationId: ctx.auth.organizationId, issuedTo: issuedToOf(ctx.auth) }, ctx.now);
  await auditInsert(ctx, { type: "report.link_issued", targetType: "report_execution", targetId: id, data: { expiresAt: link.expiresAt.toISOString() } });
  return { url: link.url, expiresAt: link.expiresAt.toISOString() };
}

/**
 * Streams the file behind a link. No session is needed: the link is the credential, so every use
 * is audited with whom it was issued to. A tampered link is 404 (it names nothing); an expired one
 * is 410, and so is a link whose run, report or file is gone, or whose user is no longer in the
 * organization (a link does not outlive the access it was issued under).
 */
export async function openFileLink(env: Env, token: string, now: Date) {
  const { fileLinkSecret, fileLinkPreviousSecret } = config(env);
  const check = await verifyFileLink(fileLinkSecret, token, Math.floor(now.getTime() / 1000), fileLinkPreviousSecret);
  if (!check.ok) {
    if (check.reason === "expired") throw new GoneError("This download link has expired; ask for a new one", "link_expired");
    throw new NotFoundError("File");
  }
  const { link } = check;
  const db = createDb(env.DB);
  const issuedToUser = link.issuedTo.startsWith("user:") ? link.issuedTo.slice(5) : null;
  const issuedToKey = link.issuedTo.startsWith("key:") ? link.issuedTo.slice(4) : null;
  if (link.executionId.startsWith("test-")) return openTestFile(env, db, link, { issuedToUser, issuedToKey }, now);
  // One read: the run, whether its report still exists, and whether the user or API key the link was
  // issued to still has access.
  const [row] = await db
    .select({ execution: reportExecutions, reportId: scheduledReports.id, userId: users.id, apiKeyId: apiKeys.id })
    .from(reportExecutions)
    .leftJoin(scheduledReports, and(eq(scheduledReports.id, reportExecutions.scheduledReportId), eq(scheduledReports.organizationId, link.organizationId)))
    .leftJoin(users, and(eq(users.id, issuedToUser ?? ""), eq(users.organizationId, link.organizationId)))
    .leftJoin(apiKeys, and(eq(apiKeys.id, issuedToKey ?? ""), eq(apiKeys.organizationId, link.organizationId), isNull(apiKeys.revokedAt)))
    .where(and(eq(reportExecutions.id, link.executionId), eq(reportExecutions.organizationId, link.organizationId)));
  if (!row) throw new GoneError("The run this link was issued for no longer exists");
  const { execution } = row;
  if (!execution.fileKey) throw new NotFoundError("File");
  if (!row.reportId) throw new GoneError("The report of this link was deleted");
  if (issuedToUser && !row.userId) throw new GoneError("The person this link was issued to no longer has access");
  if (issuedToKey && !row.apiKeyId) throw new GoneError("The API key this link was issued to was revoked");
  if (execution.fileExpiredAt) throw new GoneError("This file is no longer kept (retention)");
  const object = await env.REPORTS.get(execution.fileKey);
  if (!object) throw new GoneError("This file is no longer kept (retention)");
  await auditInsert(
    { db, now, auth: { organizationId: link.organizationId, actorId: issuedToUser ?? issuedToKey } },
    {
      type: "report.downloaded",
      targetType: "report_execution",
      targetId: execution.id,
      data: { via: "link", issuedTo: link.issuedTo, fileName: execution.fileName },
    },
  );
  return { object, fileName: execution.fileName ?? "report" };
}

/**
 * The sample file of a "send a test" (no execution: its id starts with `test-`), while its link
 * lasts (24 hours) and the person or key it was issued to still has access. Audited like a file.
 */
async function openTestFile(env: Env, db: Db, link: FileLink, who: { issuedToUser: string | null; issuedToKey: string | null }, now: Date) {
  const fileName = "test-message.csv";
  if (who.issuedToUser) {
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, who.issuedToUser), eq(users.organizationId, link.organizationId)));
    if (!user) throw new GoneError("The person this link was issued to no longer has access");
  }
  if (who.issuedToKey) {
    const [key] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, who.issuedToKey), eq(apiKeys.organizationId, link.organizationId), isNull(apiKeys.revokedAt)));
    if (!key) throw new GoneError("The API key this link was issued to was revoked");
  }
  const object = await env.REPORTS.get(testFileKey(link.organizationId, link.executionId, fileName));
  if (!object) throw new GoneError("This test file is no longer kept");
  await auditInsert(
    { db, now, auth: { organizationId: link.organizationId, actorId: who.issuedToUser ?? who.issuedToKey } },
    { type: "report.downloaded", targetType: "test_file", targetId: link.executionId, data: { via: "link", issuedTo: link.issuedTo, fileName } },
  );
  return { object, fileName };
}
