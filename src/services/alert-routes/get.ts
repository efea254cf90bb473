import { config } from "../../config";
import { alertTargetsOf, findAlertRoutes } from "../../domain/alert-routes";
import type { ServiceContext } from "../context";
import { toAlertRoutesDto } from "./dto";

/** Where the organization's alerts go (every role may look; credentials masked). */
export async function getAlertRoutes({ ctx }: { ctx: ServiceContext }) {
  const org = ctx.auth.organizationId;
  const row = await findAlertRoutes(ctx.db, org);
  const slackUrl = row?.slackUrlSealed ? (await alertTargetsOf(ctx.db, config(ctx.env).rootSecrets, org)).slackUrl : null;
  return toAlertRoutesDto(row, slackUrl, ctx.auth.role);
}
