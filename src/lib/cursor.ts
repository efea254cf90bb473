import { ValidationError } from "../errors";
import { base64UrlToText, textToBase64Url } from "./base64";

/** Keyset cursors for lists ordered newest first: the (time, id) of the last item seen (its creation time, or for run history its scheduled-for time). */
export type ListCursor = { at: number; id: string };

export function encodeCursor(c: ListCursor): string {
  return textToBase64Url(JSON.stringify([c.at, c.id]));
}

export function decodeCursor(raw: string | undefined): ListCursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(base64UrlToText(raw));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError("Invalid cursor", [{ path: "cursor", message: "Not a cursor this API issued" }]);
}

/** Fetch limit + 1 rows, return limit of them and the cursor of the last one if more remain (keyed by `at`, creation time by default). */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number, at: (row: T) => Date = (row) => row.createdAt) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ at: at(last).getTime(), id: last.id }) : null;
  return { items, nextCursor };
}
