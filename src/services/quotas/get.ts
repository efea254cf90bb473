import { requireRole } from "../../domain/policy";
import type { ServiceContext } from "../context";
import { quotasWithUsage } from "./usage";

/** The organization's quotas in force and its usage, for its admins (read only: only the operator changes quotas). */
export async function getQuotas({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  const { quotas, usage } = await quotasWithUsage(ctx, ctx.auth.organizationId);
  return { quotas, usage };
}
