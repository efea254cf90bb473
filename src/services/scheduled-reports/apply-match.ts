import type { ErrorDetail } from "../../errors";
import { definitionOf, type ReportDefinition, sameValue } from "./definition";
import type { ScheduledReportRow } from "./dto";

/**
 * What makes two reports the same report for adoption: what is delivered, to whom and when. The
 * name, the key and whether it is paused are not part of it (adopting may change them, and the plan
 * says so); recipients count in any order.
 */
export function sameDelivery(a: ReportDefinition, b: ReportDefinition): boolean {
  const recipients = (d: ReportDefinition) => d.recipients.map((r) => `${r.type}:${r.value}`).sort();
  return (
    a.reportType === b.reportType &&
    a.format === b.format &&
    a.compress === b.compress &&
    sameValue(a.parameters, b.parameters) &&
    sameValue(a.schedule, b.schedule) &&
    sameValue(a.deliverWhen, b.deliverWhen) &&
    sameValue(recipients(a), recipients(b))
  );
}

type Entry = { index: number; key: string; adopt?: string; definition: ReportDefinition };

/**
 * Which report without a key each entry whose key is new takes over: the one its `adopt` names,
 * else the one report with the same delivery (`sameDelivery`). Explicit adoptions are settled first;
 * a report is adopted at most once; an entry that matches several reports is an error asking for
 * `adopt`, since guessing wrong would leave the other one delivering twice. Returns the adopted
 * report by entry index, and the problems, with their document paths.
 */
export function matchAdoptions(rows: ScheduledReportRow[], entries: Entry[]) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byKey = new Map(rows.filter((r) => r.key !== null).map((r) => [r.key!, r]));
  const adopted = new Map<number, ScheduledReportRow>();
  const claimed = new Set<string>();
  const details: ErrorDetail[] = [];

  for (const e of entries) {
    if (e.adopt === undefined) continue;
    const path = `reports.${e.index}.adopt`;
    const target = byId.get(e.adopt);
    const owner = byKey.get(e.key);
    if (!target) details.push({ path, message: "No report with this id in your organization" });
    else if (owner && owner.id !== target.id) details.push({ path, message: `The key "${e.key}" belongs to another report` });
    else if (target.key !== null && target.key !== e.key) details.push({ path, message: `This report already has the key "${target.key}"` });
    else if (claimed.has(target.id)) details.push({ path, message: "Another entry adopts this report too" });
    else {
      claimed.add(target.id);
      if (target.key === null) adopted.set(e.index, target);
    }
  }

  const unkeyed = rows.filter((r) => r.key === null).map((r) => ({ row: r, definition: definitionOf(r) }));
  for (const e of entries) {
    if (e.adopt !== undefined || byKey.has(e.key)) continue;
    const same = unkeyed.filter((u) => !claimed.has(u.row.id) && sameDelivery(u.definition, e.definition));
    if (same.length === 1) {
      claimed.add(same[0]!.row.id);
      adopted.set(e.index, same[0]!.row);
    } else if (same.length > 1) {
      const ids = same.map((u) => u.row.id).join(", ");
      details.push({
        path: `reports.${e.index}`,
        message: `The same report as ${same.length} reports without a key (${ids}): name the one to take over with "adopt: <id>"`,
      });
    }
  }
  return { adopted, details };
}
