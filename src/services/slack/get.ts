import { findSlackConnection } from "../../domain/slack-connection";
import type { ServiceContext } from "../context";
import { toSlackConnectionDto } from "./dto";

/** Any member may see whether a Slack app is connected (the wizard offers channels then). */
export async function getSlackConnection({ ctx }: { ctx: ServiceContext }) {
  return toSlackConnectionDto(await findSlackConnection(ctx.db, ctx.auth.organizationId));
}
