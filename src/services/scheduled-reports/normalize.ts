import { and, eq } from "drizzle-orm";
import { slackTarget } from "../../channels/slack-target";
import { teamsHostProblem } from "../../channels/teams-url";
import { config } from "../../config";
import { type DeliverWhen, isEventSchedule, organizations, type Recipient, type ScheduleConfig, scheduledReports } from "../../db/schema";
import { disallowedEmailDomain } from "../../domain/recipients";
import { findSlackConnection } from "../../domain/slack-connection";
import { ConflictError, type ErrorDetail, ForbiddenError, NotFoundError, ValidationError, zodIssuesToDetails } from "../../errors";
import { eventCron, presetToCron } from "../../lib/schedule";
import { checkOutboundUrl } from "../../lib/url-safety";
import { getReportType, isSourceConfigured, parameterKeys } from "../../reports/registry";
import type { ServiceContext } from "../context";
import type { ScheduleInput } from "./schema";

export async function loadOrganization(ctx: ServiceContext) {
  const [org] = await ctx.db.select().from(organizations).where(eq(organizations.id, ctx.auth.organizationId));
  if (!org) throw new NotFoundError("Organization");
  return org;
}

type Org = Awaited<ReturnType<typeof loadOrganization>>;

/**
 * The report type must exist, its data source be configured in this deployment, and the type be
 * turned on for the organization ("can this user access this report type?").
 */
export function requireEnabledReportType(ctx: ServiceContext, org: Org, id: string) {
  const type = getReportType(id);
  if (!type) throw new ValidationError(`Unknown report type "${id}"`, [{ path: "reportType", message: "No such report type" }]);
  if (!isSourceConfigured(ctx.env, type)) {
    const { kind, name } = type.source;
    throw new ValidationError(`The report type "${id}" reads the ${name} database (${kind}), which this deployment does not have configured`, [
      { path: "reportType", message: `Its data source ${name} is not configured` },
    ]);
  }
  if (org.disabledReportTypes.includes(id)) throw new ForbiddenError(`The report type "${id}" is turned off for your organization`);
  return type;
}

/** Checks the parameters against the type's schema and returns them with the type's defaults applied. */
export function normalizeParameters(reportTypeId: string, raw: Record<string, unknown>) {
  const type = getReportType(reportTypeId);
  const parsed = type?.parameters.safeParse(raw);
  if (!parsed?.success) {
    const details = parsed ? zodIssuesToDetails(parsed.error.issues).map((d) => ({ ...d, path: `parameters.${d.path}` })) : [];
    throw new ValidationError("The parameters are not valid for this report type", details);
  }
  return parsed.data as Record<string, unknown>;
}

/**
 * The checks a report's definition passes whether it is created or changed: the type usable by the
 * organization (when it is being chosen), the format one the type renders, compression only for CSV.
 */
export function requireUsableDefinition(ctx: ServiceContext, org: Org, d: { reportType: string; format: string; compress: boolean; typeChosen: boolean }) {
  if (d.typeChosen) requireEnabledReportType(ctx, org, d.reportType);
  requireSupportedFormat(d.reportType, d.format);
  requireCompressibleFormat(d.format, d.compress);
}

function requireCompressibleFormat(format: string, compress: boolean) {
  if (compress && format !== "csv") {
    throw new ValidationError("Only CSV files can be compressed", [{ path: "compress", message: "Set compress only with the csv format" }]);
  }
}

function requireSupportedFormat(reportTypeId: string, format: string) {
  const type = getReportType(reportTypeId);
  if (type && !type.formats.includes(format as never)) {
    throw new ValidationError(`The report type "${reportTypeId}" cannot be rendered as ${format}`, [
      { path: "format", message: `Supported: ${type.formats.join(", ")}` },
    ]);
  }
}

const NUMERIC_COLUMNS = new Set(["integer", "number", "currency", "percent"]);

/** A threshold names a column of the report, and compares a number with a number column. */
export function normalizeDeliverWhen(reportTypeId: string, parameters: Record<string, unknown>, deliverWhen: DeliverWhen): DeliverWhen {
  if (deliverWhen.mode !== "ifThreshold") return deliverWhen;
  const columns = getReportType(reportTypeId)?.columns(parameters) ?? [];
  const column = columns.find((c) => c.key === deliverWhen.column);
  if (!column) {
    throw new ValidationError("The delivery condition names a column the report does not have", [
      { path: "deliverWhen.column", message: `Columns: ${columns.map((c) => c.key).join(", ")}` },
    ]);
  }
  if (NUMERIC_COLUMNS.has(column.type) && typeof deliverWhen.value !== "number") {
    throw new ValidationError("The delivery condition compares a number column with text", [
      { path: "deliverWhen.value", message: `"${column.key}" holds numbers: give a number` },
    ]);
  }
  return deliverWhen;
}

/** The parameters a trigger may set are parameters of the report type, each named once, in a stable order. */
export function normalizeTriggerParameters(reportTypeId: string, names: readonly string[]): string[] {
  const type = getReportType(reportTypeId);
  const known = type ? parameterKeys(type) : [];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new ValidationError("The trigger parameters name parameters the report type does not have", [
      { path: "triggerParameters", message: `Unknown: ${unknown.join(", ")}; parameters: ${known.join(", ") || "none"}` },
    ]);
  }
  return [...new Set(names)].sort();
}

/** A report's key is unique in its organization (another report's key is a conflict). */
export async function requireFreeKey(ctx: ServiceContext, key: string | null | undefined, exceptId?: string) {
  if (!key) return;
  const [taken] = await ctx.db
    .select({ id: scheduledReports.id })
    .from(scheduledReports)
    .where(and(eq(scheduledReports.organizationId, ctx.auth.organizationId), eq(scheduledReports.key, key)));
  if (taken && taken.id !== exceptId) throw new ConflictError(`Another report already has the key "${key}"`);
}

/**
 * Lowercases emails, refuses duplicates, unsafe URLs, email domains the organization does not allow,
 * Teams URLs off Microsoft's workflow hosts, and Slack channels while no Slack app is connected.
 * `pathOf` names the field of the i-th recipient in errors.
 */
export async function normalizeRecipients(
  ctx: ServiceContext,
  org: Org,
  recipients: Recipient[],
  pathOf = (i: number) => `recipients.${i}.value`,
): Promise<Recipient[]> {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const localDev = config(ctx.env).localDev;
  const wantsSlackApp = recipients.some((r) => r.type === "slack" && slackTarget(r.value)?.kind === "channel");
  const slackConnected = wantsSlackApp && (await findSlackConnection(ctx.db, org.id)) !== null;
  const out = recipients.map((r, i) => {
    const path = pathOf(i);
    const value = r.type === "email" ? r.value.toLowerCase() : r.value;
    const slack = r.type === "slack" ? slackTarget(value) : null;
    if (r.type === "email") {
      const refused = disallowedEmailDomain(org, value);
      if (refused) details.push({ path, message: `Email recipients must be at ${refused.allowed.join(", ")}` });
    } else if (slack?.kind === "channel") {
      if (!slackConnected)
        details.push({ path, message: "Sending to a Slack channel needs a connected Slack app (Settings → Slack); or use an incoming-webhook URL" });
    } else {
      const check = checkOutboundUrl(value, { allowLoopback: localDev });
      if (!check.ok) details.push({ path, message: `The ${r.type} URL ${check.reason}` });
      else if (r.type === "teams") {
        const problem = teamsHostProblem(check.url, localDev);
        if (problem) details.push({ path, message: `The Teams URL ${problem}` });
      }
    }
    const key = `${r.type}:${value}`;
    if (seen.has(key)) details.push({ path, message: "This recipient is listed twice" });
    seen.add(key);
    return { type: r.type, value };
  });
  if (details.length) throw new ValidationError("Some recipients cannot be used", details);
  return out;
}

/** Splits the API's schedule object into the stored config, the expanded cron and the columns. */
export function normalizeSchedule(s: ScheduleInput) {
  const config: ScheduleConfig =
    s.trigger === "event"
      ? { trigger: "event", deadline: s.deadline, onMissedDeadline: s.onMissedDeadline ?? "run" }
      : s.cron !== undefined
        ? { cron: s.cron.trim().replace(/\s+/g, " ") }
        : { preset: s.preset!, time: s.time, minute: s.minute, daysOfWeek: s.daysOfWeek, dayOfMonth: s.dayOfMonth };
  const cron = isEventSchedule(config) ? eventCron(config.deadline) : "cron" in config ? config.cron : presetToCron(config);
  return {
    scheduleConfig: JSON.parse(JSON.stringify(config)) as ScheduleConfig, // drops undefined keys
    cron,
    timezone: s.timezone,
    // A triggered report only ever looks at its latest deadline: one run a day at most.
    catchUp: isEventSchedule(config) ? ("latest" as const) : s.catchUp,
    startAt: s.startAt ? new Date(s.startAt) : null,
    endAt: s.endAt ? new Date(s.endAt) : null,
  };
}
