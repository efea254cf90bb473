/**
 * The key export writes for a report that has none: its name as a slug and the start of its id
 * (`weekly-sales-3f2a9c1b`), so that two exports of the same report agree and a reader sees which
 * report it is. The id part keeps keys apart when names repeat; a key already in `taken` (another
 * report's, chosen by someone) falls back to the whole id, which no other report has.
 */
export function generatedKey(report: { id: string; name: string }, taken: ReadonlySet<string>): string {
  const slug =
    report.name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "report";
  const id = report.id.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const short = `${slug}-${id.slice(0, 8)}`;
  return taken.has(short) ? `${slug}-${id}`.slice(0, 100) : short;
}
