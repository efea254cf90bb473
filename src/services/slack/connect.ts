import { callSlack } from "../../channels/slack-api";
import { asDeliveryFailure } from "../../channels/types";
import { config } from "../../config";
import { slackConnections } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { sealSlackToken } from "../../domain/slack-connection";
import { ValidationError } from "../../errors";
import type { ServiceContext } from "../context";
import { toSlackConnectionDto } from "./dto";
import type { ConnectSlackInput } from "./schema";

/**
 * Connects the organization's Slack app: the bot token is checked with auth.test, then stored
 * sealed (AES-GCM, src/lib/sealed.ts) with the workspace it belongs to. Connecting again replaces
 * the token. A token Slack refuses changes nothing.
 */
export async function connectSlack({ ctx, input }: { ctx: ServiceContext; input: ConnectSlackInput }) {
  requireRole(ctx.auth, "admin");
  const cfg = config(ctx.env);
  let answer: Awaited<ReturnType<typeof callSlack>>;
  try {
    answer = await callSlack(cfg.delivery, input.botToken, "auth.test", {}, ctx.now);
  } catch (err) {
    const failure = asDeliveryFailure(err);
    throw new ValidationError("Slack could not check the token; nothing was changed", [
      { path: "botToken", message: `Slack could not be asked (${failure.failureClass}): ${failure.message}` },
    ]);
  }
  if (!answer.ok || typeof answer.team_id !== "string") {
    throw new ValidationError("Slack refused the token; nothing was changed", [
      { path: "botToken", message: `Slack answered ${answer.error ?? "an unexpected result"} to auth.test` },
    ]);
  }
  const row = {
    organizationId: ctx.auth.organizationId,
    teamId: answer.team_id,
    teamName: typeof answer.team === "string" ? answer.team : answer.team_id,
    botUser: typeof answer.user === "string" ? answer.user : null,
    sealedToken: await sealSlackToken(cfg.auth.jwtSecret, ctx.auth.organizationId, input.botToken),
    connectedBy: ctx.auth.userId,
    connectedAt: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const { organizationId: _, createdAt: __, ...changes } = row;
  await ctx.db.batch([
    ctx.db.insert(slackConnections).values(row).onConflictDoUpdate({ target: slackConnections.organizationId, set: changes }),
    auditInsert(ctx, {
      type: "slack.connected",
      targetType: "organization",
      targetId: ctx.auth.organizationId,
      data: { team: row.teamName, teamId: row.teamId },
    }),
  ]);
  return { ...toSlackConnectionDto(row), connected: true as const };
}
