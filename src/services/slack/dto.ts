import type { SlackConnectionRow } from "../../domain/slack-connection";

/** What anyone in the organization may know of its Slack app: which workspace, since when. Never the token. */
export const toSlackConnectionDto = (row: SlackConnectionRow | null) => ({
  connected: row !== null,
  team: row?.teamName ?? null,
  connectedAt: row ? row.connectedAt.toISOString() : null,
});
