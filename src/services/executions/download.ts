import { and, eq, gt, isNull, or } from "drizzle-orm";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { apiKeys, auditEvents, reportExecutions, scheduledReports, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { enforceRateLimit } from "../../domain/rate-limit";
import { ConflictError, GoneError, NotFoundError } from "../../errors";
import { sha256Hex } from "../../lib/secrets";
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
 *
 * Downloads are limited per caller IP (counted before the link is checked, so forged links count too)
 * and per link (DOWNLOAD_LIMITER, 30 a minute each, #23). The IP is the platform's `CF-Connecting-IP`;
 * without it (never on Cloudflare's edge) only the link is counted, rather than putting every such
 * caller in one shared bucket.
 */
export async function openFileLink(env: Env, token: string, now: Date, ip: string | null = null) {
  if (ip) await enforceRateLimit(env.DOWNLOAD_LIMITER, [`ip:${ip}`], "downloads from your address");
  const { fileLinkSecret, fileLinkPreviousSecret } = config(env);
  const check = await verifyFileLink(fileLinkSecret, token, Math.floor(now.getTime() / 1000), fileLinkPreviousSecret);
  if (!check.ok) {
    if (check.reason === "expired") throw new GoneError("This download link has expired; ask for a new one", "link_expired");
    throw new NotFoundError("File");
  }
  const linkId = await linkIdOf(token);
  await enforceRateLimit(env.DOWNLOAD_LIMITER, [`link:${linkId}`], "downloads of this link");
  const { link } = check;
  const db = createDb(env.DB);
  const issuedToUser = link.issuedTo.startsWith("user:") ? link.issuedTo.slice(5) : null;
  const issuedToKey = link.issuedTo.startsWith("key:") ? link.issuedTo.slice(4) : null;
  if (link.executionId.startsWith("test-")) return openTestFile(env, db, link, { issuedToUser, issuedToKey, linkId }, now);
  // One read: the run, whether its report still exists, and whether the user or API key the link was
  // issued to still has access.
  const [row] = await db
    .select({ execution: reportExecutions, reportId: scheduledReports.id, userId: users.id, apiKeyId: apiKeys.id })
    .from(reportExecutions)
    .leftJoin(scheduledReports, and(eq(scheduledReports.id, reportExecutions.scheduledReportId), eq(scheduledReports.organizationId, link.organizationId)))
    .leftJoin(users, and(eq(users.id, issuedToUser ?? ""), eq(users.organizationId, link.organizationId)))
    .leftJoin(
      apiKeys,
      and(
        eq(apiKeys.id, issuedToKey ?? ""),
        eq(apiKeys.organizationId, link.organizationId),
        isNull(apiKeys.revokedAt),
        // A key's link ends with the key, whether it was revoked or ran out (#23).
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .where(and(eq(reportExecutions.id, link.executionId), eq(reportExecutions.organizationId, link.organizationId)));
  if (!row) throw new GoneError("The run this link was issued for no longer exists");
  const { execution } = row;
  if (!execution.fileKey) throw new NotFoundError("File");
  if (!row.reportId) throw new GoneError("The report of this link was deleted");
  if (issuedToUser && !row.userId) throw new GoneError("The person this link was issued to no longer has access");
  if (issuedToKey && !row.apiKeyId) throw new GoneError("The API key this link was issued to was revoked or has expired");
  if (execution.fileExpiredAt) throw new GoneError("This file is no longer kept (retention)");
  const object = await env.REPORTS.get(execution.fileKey);
  if (!object) throw new GoneError("This file is no longer kept (retention)");
  await auditDownloadOnce(db, now, linkId, {
    organizationId: link.organizationId,
    actorId: issuedToUser ?? issuedToKey,
    targetType: "report_execution",
    targetId: execution.id,
    data: { via: "link", issuedTo: link.issuedTo, fileName: execution.fileName },
  });
  return { object, fileName: execution.fileName ?? "report" };
}

type Who = { issuedToUser: string | null; issuedToKey: string | null; linkId: string };

/**
 * The sample file of a "send a test" (no execution: its id starts with `test-`), while its link
 * lasts (24 hours) and the person or key it was issued to still has access. Audited like a file.
 */
async function openTestFile(env: Env, db: Db, link: FileLink, who: Who, now: Date) {
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
      .where(
        and(
          eq(apiKeys.id, who.issuedToKey),
          eq(apiKeys.organizationId, link.organizationId),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      );
    if (!key) throw new GoneError("The API key this link was issued to was revoked or has expired");
  }
  const object = await env.REPORTS.get(testFileKey(link.organizationId, link.executionId, fileName));
  if (!object) throw new GoneError("This test file is no longer kept");
  await auditDownloadOnce(db, now, who.linkId, {
    organizationId: link.organizationId,
    actorId: who.issuedToUser ?? who.issuedToKey,
    targetType: "test_file",
    targetId: link.executionId,
    data: { via: "link", issuedTo: link.issuedTo, fileName },
  });
  return { object, fileName };
}

/**
 * Audited once per link and minute: the row's id is derived from both, so the fetches after the
 * first in a minute (up to the limit) write nothing (#23: one row per fetch filled the log).
 */
async function auditDownloadOnce(
  db: Db,
  now: Date,
  linkId: string,
  event: { organizationId: string; actorId: string | null; targetType: string; targetId: string; data: Record<string, unknown> },
) {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  await db
    .insert(auditEvents)
    .values({ id: `download-${(await sha256Hex(`${linkId}\u0000${minute}`)).slice(0, 32)}`, type: "report.downloaded", createdAt: now, ...event })
    .onConflictDoNothing({ target: auditEvents.id });
}

/** A link's identity for its rate-limit key and its audit row: a digest of the token, so the credential itself is never stored. */
const linkIdOf = async (token: string) => (await sha256Hex(`file-link\u0000${token}`)).slice(0, 32);
