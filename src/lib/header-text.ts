/*
 * Text that reaches an email header (a report name in the Subject, a sender name in From): a CR or LF
 * in it could start a header of its own (Bcc:, a second From), and other control characters have no
 * business there either. Names are refused with them when saved, and stripped again wherever a header
 * is built, in case a value got in some other way (#23).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_RUNS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export const CONTROL_CHARACTERS_MESSAGE = "must not contain line breaks, tabs or other control characters";

/** True when the text has no control character (for a zod refine). */
export const hasNoControlCharacters = (text: string) => !CONTROL_CHARACTERS.test(text);

/** The text with every run of control characters replaced by one space, as a header may carry it. */
export const headerText = (text: string) => text.replace(CONTROL_RUNS, " ").trim();
