import type { Role } from "../db/schema";
import type { AuthContext } from "../env";
import { ForbiddenError } from "../errors";

/*
 * Who may do what (api.md "Roles"): viewers read; editors also create reports and manage the ones
 * they created; admins manage everything in their organization.
 */
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Whether `a` may do more than `b`. */
export const outranks = (a: Role, b: Role) => RANK[a] > RANK[b];

export function requireRole(auth: AuthContext, minimum: Role): void {
  if (RANK[auth.role] < RANK[minimum]) throw new ForbiddenError();
}

type ReportOwner = { createdBy: string | null; createdByApiKeyId: string | null };

/** Editors manage what they created: a person their reports, an editor API key the reports it created. */
export function canManageReport(auth: AuthContext, report: ReportOwner): boolean {
  if (auth.role === "admin") return true;
  if (auth.role !== "editor") return false;
  return auth.userId ? report.createdBy === auth.userId : report.createdByApiKeyId === auth.apiKeyId;
}

/** Users, API keys and one's own session are a person's business: an API key cannot manage them. */
export function requireUser(auth: AuthContext): { userId: string; sessionId: string } {
  if (!auth.userId || !auth.sessionId) throw new ForbiddenError("API keys cannot manage users, API keys or sessions; sign in as a person");
  return { userId: auth.userId, sessionId: auth.sessionId };
}

export function requireReportManager(auth: AuthContext, report: ReportOwner): void {
  if (!canManageReport(auth, report)) {
    throw new ForbiddenError(auth.role === "editor" ? "Editors may only change the reports they created" : "Your role does not allow this action");
  }
}
