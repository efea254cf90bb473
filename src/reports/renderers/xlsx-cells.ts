import type { CellValue, Column, ColumnType } from "../types";

/** Excel's limits: rows a sheet (the header included), characters a cell, characters a sheet name. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_CELL_CHARS = 32_767;
export const EXCEL_MAX_SHEET_NAME = 31;

/**
 * Number formats by column type, each a cell style (xf) in styles.xml: index 0 is the default,
 * 1 the bold header, then one per format in this order. Identifiers get "0": a number, so it sorts
 * and filters as one, printed without grouping so that "14009" is found by a search for it.
 */
export const NUMBER_FORMATS = [
  { code: "#,##0", types: ["integer"] },
  { code: "#,##0.00", types: ["number", "currency"] },
  { code: "0.0%", types: ["percent"] },
  { code: "yyyy-mm-dd", types: ["date"] },
  { code: "0", types: ["id"] },
] as const satisfies readonly { code: string; types: readonly ColumnType[] }[];
export const HEADER_STYLE = 1;

const styleOf = (type: ColumnType) => {
  const i = NUMBER_FORMATS.findIndex((f) => (f.types as readonly ColumnType[]).includes(type));
  return i < 0 ? 0 : i + 2;
};

const XML_SPECIAL = /[&<>"]/;
const escapeXml = (s: string) => (XML_SPECIAL.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;") : s);

// Characters XML 1.0 cannot hold at all; OOXML writes them as _xHHHH_, and so a literal "_x0041_"
// in the data must have its underscore escaped (_x005F_) to read back as itself.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
const NEEDS_OOXML_ESCAPE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const OOXML_ESCAPES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters take the slow path
const NEEDS_ANY = /[&<>"\u0000-\u001F\uFFFE\uFFFF]|_x|^\s|\s$/;
const hex4 = (c: string) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`;

/** Text as an inline string: never a formula, whatever it starts with. */
export function textCell(value: string, style = 0): string {
  // Most report text needs none of the escapes below: one test instead of three.
  if (!NEEDS_ANY.test(value) && value.length <= EXCEL_MAX_CELL_CHARS) return `<c${style ? ` s="${style}"` : ""} t="inlineStr"><is><t>${value}</t></is></c>`;
  let s = value.length > EXCEL_MAX_CELL_CHARS ? value.slice(0, EXCEL_MAX_CELL_CHARS) : value;
  if (NEEDS_OOXML_ESCAPE.test(s)) s = s.replace(OOXML_ESCAPES, hex4);
  s = escapeXml(s);
  const space = /^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : "";
  return `<c${style ? ` s="${style}"` : ""} t="inlineStr"><is><t${space}>${s}</t></is></c>`;
}

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A numeric string (Postgres numeric, a D1 text column) of at most 15 significant digits is
// written as the number it is; a longer one would lose digits as a double and stays text.
const NUMERIC_TEXT = /^-?\d+(?:\.\d+)?$/;
const isExactNumber = (s: string) => NUMERIC_TEXT.test(s) && s.replace(/[-.]/g, "").replace(/^0+/, "").length <= 15;

/** One column's cell writer: typed cells, so that numbers sum and dates sort in Excel. */
export function cellWriter(type: ColumnType): (value: CellValue | boolean | undefined) => string {
  const style = styleOf(type);
  const s = style ? ` s="${style}"` : "";
  // An identifier given as text ("00123", "INV-7") stays text: its leading zeros are part of it.
  const numeric = type === "integer" || type === "number" || type === "currency" || type === "percent";
  return (value) => {
    if (value === null || value === undefined || value === "") return "<c/>";
    if (typeof value === "number") return Number.isFinite(value) ? `<c${s}><v>${value}</v></c>` : textCell(String(value));
    if (typeof value === "boolean") return `<c t="b"><v>${value ? 1 : 0}</v></c>`;
    if (type === "date") {
      const m = ISO_DATE.exec(value);
      if (m) {
        const serial = (Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - EXCEL_EPOCH) / DAY_MS;
        // Excel's dates start in 1900; an earlier one stays text rather than becoming a negative number.
        if (serial >= 1) return `<c${s}><v>${serial}</v></c>`;
      }
      return textCell(value);
    }
    if (numeric && isExactNumber(value)) return `<c${s}><v>${Number(value)}</v></c>`;
    return textCell(value);
  };
}

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = "";
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

const widthOf = (c: Column) => Math.min(60, Math.max(c.label.length + 2, c.type === "string" ? 24 : 14));

/** Up to <sheetData> and the header row: the frozen, bold header and the column widths. */
export function sheetHead(columns: Column[], first: boolean): string {
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${widthOf(c)}" customWidth="1"/>`).join("");
  const header = columns.map((c) => textCell(c.label, HEADER_STYLE)).join("");
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheetViews><sheetView${first ? ' tabSelected="1"' : ""} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols ? `<cols>${cols}</cols>` : "") +
    `<sheetData><row r="1">${header}</row>`
  );
}

/** The autofilter over the header and every row of the sheet. */
export const filterRef = (columnCount: number, rowCount: number) => `$A$1:$${columnLetter(Math.max(1, columnCount))}$${Math.max(1, rowCount)}`;

export const sheetTail = (columnCount: number, rowCount: number) =>
  `</sheetData><autoFilter ref="${filterRef(columnCount, rowCount).replace(/\$/g, "")}"/></worksheet>`;

const FORBIDDEN_IN_SHEET_NAME = /[[\]:*?/\\]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot be in a name either
const CONTROL = /[\u0000-\u001F\u007F]/g;

/**
 * A sheet name Excel accepts: none of []:*?/\, no leading or trailing apostrophe, at most 31
 * characters (the suffix of a continuation sheet, " (2)", included), not empty and not "History"
 * (reserved by Excel).
 */
export function sheetName(title: string, index = 1): string {
  const suffix = index > 1 ? ` (${index})` : "";
  const trim = (s: string) => s.replace(/^[\s']+|[\s']+$/g, "");
  let base = trim(title.replace(FORBIDDEN_IN_SHEET_NAME, " ").replace(CONTROL, " ").replace(/\s+/g, " "));
  if (!base || base.toLowerCase() === "history") base = base ? `${base} report` : "Report";
  base = base.slice(0, EXCEL_MAX_SHEET_NAME - suffix.length);
  // Cutting may split a surrogate pair or bare an apostrophe or a space.
  if (/[\uD800-\uDBFF]$/.test(base)) base = base.slice(0, -1);
  return (trim(base) || "Report") + suffix;
}
