import type { Role } from "../db/schema";
import type { AuthContext } from "../env";
import { ForbiddenError } from "../errors";

/*
 * Who may do what (api.md "Roles"): viewers read; editors also create reports and manage the ones
 * they created; admins manage everything in their organization.
 */
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function requireRole(auth: AuthContext, minimum: Role): void {
  if (RANK[auth.role] < RANK[minimum]) throw new ForbiddenError();
}

export function canManageReport(auth: AuthContext, report: { createdBy: string | null }): boolean {
  return auth.role === "admin" || (auth.role === "editor" && report.createdBy === auth.userId);
}

export function requireReportManager(auth: AuthContext, report: { createdBy: string | null }): void {
  if (!canManageReport(auth, report)) {
    throw new ForbiddenError(auth.role === "editor" ? "Editors may only change the reports they created" : "Your role does not allow this action");
  }
}
