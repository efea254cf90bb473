import { Document, parse, visit } from "yaml";

/**
 * YAML that every common reader reads back as the same values: strings that a YAML 1.1 reader
 * (PyYAML, Ruby's Psych, older Go and Java libraries) would retype are quoted, as well as those a
 * YAML 1.2 reader would. Unquoted, `time: 10:30` is the integer 630 in YAML 1.1 (base 60), `yes`,
 * `on` and `y` are booleans, `0755` is octal 493, `2026-01-01` a date and `~` null. `=` is quoted
 * too: PyYAML refuses it unquoted (its "value" tag has no constructor).
 */
export function toPortableYaml(value: unknown): string {
  const doc = new Document(value, { compat: "yaml-1.1" });
  visit(doc, {
    Scalar(_, node) {
      if (node.value === "=") node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export class YamlSyntaxError extends Error {}

/**
 * A YAML document as the JSON text it stands for: one document, the YAML 1.2 core schema (so `10:30`
 * stays a string), no duplicate keys, a bounded number of aliases (no "billion laughs"), and only
 * values JSON has. A document nested too deeply for the stack is refused, not a crash.
 */
export function yamlToJsonText(text: string): string {
  // The parser takes seconds, or all memory, on text built to nest deeply: refused before it runs.
  const nesting = nestingProblem(text);
  if (nesting) throw new YamlSyntaxError(nesting);
  try {
    const value: unknown = parse(text, { schema: "core", uniqueKeys: true, maxAliasCount: 100, merge: false });
    const json = JSON.stringify(value, (_, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new YamlSyntaxError("it has a number JSON cannot hold (.inf or .nan)");
      return v;
    });
    return json ?? "null";
  } catch (err) {
    if (err instanceof YamlSyntaxError) throw err;
    if (err instanceof RangeError) throw new YamlSyntaxError("it is nested too deeply");
    throw new YamlSyntaxError(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
}

const LIMITS = { flowDepth: 64, indent: 200, indicatorsPerLine: 32 };
const TOKEN_START = new Set(["\n", "[", "{", ",", ":", "-", "?"]);

/**
 * Whether the text nests deeper than any schedules-as-code document does: brackets more than 64
 * levels deep, lines indented more than 200 columns, or more than 32 `- `, `? ` or `: ` indicators
 * on one line outside brackets. A bracket counts only where YAML would open a collection (not inside `Sales [EU`), and
 * quoted strings are skipped, so text in names does not count.
 */
export function nestingProblem(text: string): string | null {
  let depth = 0;
  let prev = "\n";
  let indent = 0;
  let lineStart = true;
  let indicators = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") {
      prev = "\n";
      indent = 0;
      lineStart = true;
      indicators = 0;
      continue;
    }
    if (lineStart && ch === " ") {
      if (++indent > LIMITS.indent) return `a line is indented more than ${LIMITS.indent} columns`;
      continue;
    }
    lineStart = false;
    if ((ch === '"' || ch === "'") && TOKEN_START.has(prev)) {
      // Skip the quoted string: "…" with backslash escapes, '…' with '' for a quote.
      for (i++; i < text.length; i++) {
        if (ch === '"' && text[i] === "\\") i++;
        else if (text[i] === ch) {
          if (ch === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
      prev = ch;
      continue;
    }
    if ((ch === "[" || ch === "{") && TOKEN_START.has(prev) && ++depth > LIMITS.flowDepth) return `brackets nest more than ${LIMITS.flowDepth} levels deep`;
    if ((ch === "]" || ch === "}") && depth > 0) depth--;
    // Inside brackets the depth bounds nesting; `": "` between JSON-style keys and values is no nesting.
    if (depth === 0 && (ch === "-" || ch === "?" || ch === ":") && (text[i + 1] === " " || text[i + 1] === "\t") && ++indicators > LIMITS.indicatorsPerLine) {
      return `a line has more than ${LIMITS.indicatorsPerLine} "- ", "? " or ": " indicators`;
    }
    if (ch !== " " && ch !== "\t" && ch !== "\r") prev = ch;
  }
  return null;
}
