// The dashboard's icons (Lucide, one module per icon so that the build keeps only these), and which
// icon stands for which status and channel. An icon beside text is decorative (Lucide marks it
// aria-hidden); a button with nothing but an icon gets its name from Button's `label`.
import type { LucideIcon } from "@lucide/svelte";
import Ban from "@lucide/svelte/icons/ban";
import CircleAlert from "@lucide/svelte/icons/circle-alert";
import CircleCheck from "@lucide/svelte/icons/circle-check";
import CirclePause from "@lucide/svelte/icons/circle-pause";
import CirclePlay from "@lucide/svelte/icons/circle-play";
import CircleX from "@lucide/svelte/icons/circle-x";
import Clock from "@lucide/svelte/icons/clock";
import ClockAlert from "@lucide/svelte/icons/clock-alert";
import Equal from "@lucide/svelte/icons/equal";
import Hash from "@lucide/svelte/icons/hash";
import KeyRound from "@lucide/svelte/icons/key-round";
import LoaderCircle from "@lucide/svelte/icons/loader-circle";
import Mail from "@lucide/svelte/icons/mail";
import MailCheck from "@lucide/svelte/icons/mail-check";
import MailMinus from "@lucide/svelte/icons/mail-minus";
import MailX from "@lucide/svelte/icons/mail-x";
import MessagesSquare from "@lucide/svelte/icons/messages-square";
import Pencil from "@lucide/svelte/icons/pencil";
import Pin from "@lucide/svelte/icons/pin";
import Plus from "@lucide/svelte/icons/plus";
import SkipForward from "@lucide/svelte/icons/skip-forward";
import Trash2 from "@lucide/svelte/icons/trash-2";
import TriangleAlert from "@lucide/svelte/icons/triangle-alert";
import Webhook from "@lucide/svelte/icons/webhook";
import type { Recipient } from "../api.ts";

export type { LucideIcon };

/** The icon of each status a badge shows (runs, deliveries, reports, keys, plans, alerts). */
const STATUS_ICONS: Record<string, LucideIcon> = {
  completed: CircleCheck,
  failed: CircleX,
  running: LoaderCircle,
  pending: Clock,
  cancelled: Ban,
  skipped: SkipForward,
  "not-delivered": MailMinus,
  sent: MailCheck,
  bounced: MailX,
  active: CirclePlay,
  paused: CirclePause,
  revoked: Ban,
  expired: ClockAlert,
  pinned: Pin,
  critical: TriangleAlert,
  warning: CircleAlert,
  "plan-create": Plus,
  "plan-adopt": KeyRound,
  "plan-update": Pencil,
  "plan-delete": Trash2,
  "plan-unchanged": Equal,
};

/** The icon of a badge's classes ("completed not-delivered"): the most specific, the last that has one. */
export const statusIcon = (status: string): LucideIcon | undefined =>
  status
    .split(" ")
    .reverse()
    .map((s) => STATUS_ICONS[s])
    .find(Boolean);

/** The icon of each delivery channel. Lucide draws no brands: Slack is its # of channels, Teams a chat. */
export const CHANNEL_ICONS: Record<Recipient["type"], LucideIcon> = {
  email: Mail,
  slack: Hash,
  teams: MessagesSquare,
  webhook: Webhook,
};
