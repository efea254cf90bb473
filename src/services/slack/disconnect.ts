import { eq } from "drizzle-orm";
import { slackConnections } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { findSlackConnection } from "../../domain/slack-connection";
import type { ServiceContext } from "../context";

/**
 * Forgets the organization's Slack app and its token. Reports that send to its channels fail
 * (configuration) until an app is connected again; incoming-webhook recipients are unaffected.
 */
export async function disconnectSlack({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  const row = await findSlackConnection(ctx.db, ctx.auth.organizationId);
  if (!row) return;
  await ctx.db.batch([
    ctx.db.delete(slackConnections).where(eq(slackConnections.organizationId, ctx.auth.organizationId)),
    auditInsert(ctx, {
      type: "slack.disconnected",
      targetType: "organization",
      targetId: ctx.auth.organizationId,
      data: { team: row.teamName, teamId: row.teamId },
    }),
  ]);
}
