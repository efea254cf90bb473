import { requireRole } from "../../domain/policy";
import { ValidationError } from "../../errors";
import { auditArchiveKey, auditArchivePrefix } from "../../storage/keys";
import type { ServiceContext } from "../context";

export type ListAuditArchivesInput = { limit: number; cursor?: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The organization's audit archives (admins only), oldest day first: the days whose events
 * retention moved from the audit log to R2. Read from the bucket itself, so the list is what
 * can be downloaded; the cursor is the last day of the page before.
 */
export async function listAuditArchives({ ctx, input }: { ctx: ServiceContext; input: ListAuditArchivesInput }) {
  requireRole(ctx.auth, "admin");
  if (input.cursor !== undefined && !DAY.test(input.cursor)) {
    throw new ValidationError("Invalid cursor", [{ path: "cursor", message: "Not a cursor this API issued" }]);
  }
  const prefix = auditArchivePrefix(ctx.auth.organizationId);
  const listed = await ctx.env.REPORTS.list({
    prefix,
    limit: input.limit,
    startAfter: input.cursor ? auditArchiveKey(ctx.auth.organizationId, input.cursor) : undefined,
    include: ["customMetadata"],
  });
  const items = listed.objects.map((o) => ({
    day: o.key.slice(prefix.length, -".ndjson".length),
    bytes: o.size,
    events: Number(o.customMetadata?.events ?? 0),
  }));
  const last = items.at(-1);
  return { items, nextCursor: listed.truncated && last ? last.day : null };
}
