import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { NotFoundError } from "../../errors";
import { auditArchiveKey } from "../../storage/keys";
import type { ServiceContext } from "../context";

/** One day's archived audit events, as NDJSON (admins only, of their own organization); each download is audited. */
export async function openAuditArchive({ ctx, day }: { ctx: ServiceContext; day: string }) {
  requireRole(ctx.auth, "admin");
  const object = await ctx.env.REPORTS.get(auditArchiveKey(ctx.auth.organizationId, day));
  if (!object) throw new NotFoundError("Audit archive");
  await auditInsert(ctx, { type: "audit_archive.downloaded", targetType: "audit_archive", targetId: day });
  return { object, fileName: `audit-${day}.ndjson` };
}
