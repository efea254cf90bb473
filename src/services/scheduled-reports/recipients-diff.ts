import type { Recipient } from "../../db/schema";

const keyOf = (r: Recipient) => `${r.type}:${r.value}`;

export function diffRecipients(before: Recipient[], after: Recipient[]) {
  const had = new Set(before.map(keyOf));
  const has = new Set(after.map(keyOf));
  return { added: after.filter((r) => !had.has(keyOf(r))), removed: before.filter((r) => !has.has(keyOf(r))) };
}
