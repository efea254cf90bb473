/** 1536 -> "1.5 KB"; binary units, as people read file sizes. */
export function humanSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "unknown";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Base64 of bytes without building one huge argument list (btoa takes a binary string). */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  const chunk = 3 * 8190; // a multiple of 3, so that the pieces concatenate into one valid base64 string
  for (let i = 0; i < bytes.length; i += chunk) out += btoa(String.fromCharCode(...bytes.subarray(i, i + chunk)));
  return out;
}

/** Size of `n` bytes once base64-encoded. */
export const base64Length = (n: number) => 4 * Math.ceil(n / 3);

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
