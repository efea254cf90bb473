import { and, eq } from "drizzle-orm";
import { DeliveryFailure, type SlackApp } from "../channels/types";
import type { Db } from "../db/client";
import { slackConnections } from "../db/schema";
import { openSealed, type RootSecrets, seal, unopenedReason } from "../lib/sealed";

/** The HKDF label of the key that seals Slack bot tokens (its own key, never the file-link one). */
const SLACK_TOKEN_LABEL = "scheduled-reports/slack-bot-tokens/v1";

export type SlackConnectionRow = typeof slackConnections.$inferSelect;

export async function findSlackConnection(db: Db, organizationId: string): Promise<SlackConnectionRow | null> {
  const [row] = await db.select().from(slackConnections).where(eq(slackConnections.organizationId, organizationId));
  return row ?? null;
}

/** The token sealed for this organization (the organization id is bound as additional data). */
export const sealSlackToken = (rootSecret: string, organizationId: string, token: string) => seal(rootSecret, SLACK_TOKEN_LABEL, token, organizationId);

/**
 * The organization's Slack app with its token unsealed, for sending; null when none is connected.
 * A token that no longer opens (JWT_SECRET was replaced) is a configuration failure to fix in Settings;
 * one sealed under the previous root secret is sealed again under the current key and written back.
 */
export async function slackAppOf(db: Db, roots: RootSecrets, organizationId: string): Promise<SlackApp | null> {
  const row = await findSlackConnection(db, organizationId);
  if (!row) return null;
  const opened = await openSealed(roots.current, SLACK_TOKEN_LABEL, row.sealedToken, organizationId, roots.previous);
  if (!opened.ok) {
    throw new DeliveryFailure("configuration", `The stored Slack token cannot be read: ${unopenedReason(opened)}. Connect the Slack app again in Settings`);
  }
  if (opened.stale) {
    // Guarded on the value read: a reconnection at the same time wins.
    await db
      .update(slackConnections)
      .set({ sealedToken: await sealSlackToken(roots.current, organizationId, opened.plaintext) })
      .where(and(eq(slackConnections.organizationId, organizationId), eq(slackConnections.sealedToken, row.sealedToken)));
  }
  return { token: opened.plaintext, team: row.teamName, botUser: row.botUser };
}
