const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every piece of data goes through here: report values never become markup. */
export const escapeHtml = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
