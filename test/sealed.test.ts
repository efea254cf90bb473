import { describe, expect, it } from "vitest";
import { toBase64Url } from "../src/lib/base64";
import { openSealed, seal, sealingKeyId, unseal } from "../src/lib/sealed";

const ROOT = "a-root-secret-that-is-long-enough-for-tests-0123";
const NEXT_ROOT = "the-root-secret-that-replaced-it-long-enough-4567";
const LABEL = "scheduled-reports/test-values/v1";

/** What the earlier format (v1, no key id) wrote: the same HKDF key, `v1.<iv>.<ciphertext>`. */
async function sealV1(root: string, label: string, plaintext: string, context: string) {
  const enc = new TextEncoder();
  const base = await crypto.subtle.importKey("raw", enc.encode(root), "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: enc.encode(label) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(context) }, key, enc.encode(plaintext));
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(data))}`;
}

describe("sealed values", () => {
  it("carry the id of their key: the first 8 hex of the SHA-256 of the derived key, different per root secret and label", async () => {
    const value = await seal(ROOT, LABEL, "xoxb-secret", "org-1");
    const keyId = await sealingKeyId(ROOT, LABEL);
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(value.startsWith(`v2.${keyId}.`)).toBe(true);
    expect(value).not.toContain("xoxb-secret");
    expect(await sealingKeyId(NEXT_ROOT, LABEL)).not.toBe(keyId);
    expect(await sealingKeyId(ROOT, "scheduled-reports/other/v1")).not.toBe(keyId);
    expect(await openSealed(ROOT, LABEL, value, "org-1")).toEqual({ ok: true, plaintext: "xoxb-secret" });
  });

  it("recognises a value sealed under a previous root secret, instead of failing like a damaged one", async () => {
    const old = await seal(ROOT, LABEL, "whsec_old", "org-1");
    expect(await openSealed(NEXT_ROOT, LABEL, old, "org-1")).toEqual({
      ok: false,
      reason: "other_key",
      keyId: await sealingKeyId(ROOT, LABEL),
      currentKeyId: await sealingKeyId(NEXT_ROOT, LABEL),
    });
    expect(await unseal(NEXT_ROOT, LABEL, old, "org-1")).toBeNull();
  });

  it("refuses a tampered value, another context or a malformed one as unreadable", async () => {
    const value = await seal(ROOT, LABEL, "secret", "org-1");
    const [v, kid, iv, data] = value.split(".") as [string, string, string, string];
    const flipped = `${data.slice(0, -2)}${data.at(-2) === "A" ? "B" : "A"}${data.at(-1)}`;
    expect(await openSealed(ROOT, LABEL, [v, kid, iv, flipped].join("."), "org-1")).toEqual({ ok: false, reason: "unreadable" });
    expect(await openSealed(ROOT, LABEL, value, "org-2")).toEqual({ ok: false, reason: "unreadable" });
    for (const bad of ["", "v2", "v2.zzzzzzzz.a.b", `v2.${kid}.${iv}`, `v3.${kid}.${iv}.${data}`, "whsec_plain", `v2.${kid}.${iv}.${data}.extra`]) {
      expect(await openSealed(ROOT, LABEL, bad, "org-1"), bad).toEqual({ ok: false, reason: "unreadable" });
    }
  });

  it("still reads values stored in the format before key ids (v1), with the same label and context only", async () => {
    const legacy = await sealV1(ROOT, LABEL, "xoxb-legacy", "org-1");
    // It opens marked stale: its reader seals it again in the current format.
    expect(await openSealed(ROOT, LABEL, legacy, "org-1")).toEqual({ ok: true, plaintext: "xoxb-legacy", stale: true });
    expect(await unseal(ROOT, LABEL, legacy, "org-2")).toBeNull();
    // Without a key id, a v1 value from another root secret cannot say so: it is unreadable.
    expect(await openSealed(NEXT_ROOT, LABEL, legacy, "org-1")).toEqual({ ok: false, reason: "unreadable" });
  });

  it("opens a value sealed under the previous root secret when it is given, marked stale, and nothing else with it", async () => {
    const old = await seal(ROOT, LABEL, "whsec_old", "org-1");
    expect(await openSealed(NEXT_ROOT, LABEL, old, "org-1", ROOT)).toEqual({ ok: true, plaintext: "whsec_old", stale: true });
    // A value under the current key is not stale; one under a third secret is still another key's.
    const current = await seal(NEXT_ROOT, LABEL, "whsec_new", "org-1");
    expect(await openSealed(NEXT_ROOT, LABEL, current, "org-1", ROOT)).toEqual({ ok: true, plaintext: "whsec_new" });
    const third = await seal("a-third-root-secret-that-is-long-enough-89ab", LABEL, "whsec_x", "org-1");
    expect(await openSealed(NEXT_ROOT, LABEL, third, "org-1", ROOT)).toMatchObject({ ok: false, reason: "other_key" });
    // The previous key is bound to its label and context like the current one.
    expect(await openSealed(NEXT_ROOT, LABEL, old, "org-2", ROOT)).toEqual({ ok: false, reason: "unreadable" });
    expect(await openSealed(NEXT_ROOT, "scheduled-reports/other/v1", old, "org-1", ROOT)).toMatchObject({ ok: false, reason: "other_key" });
    // A v1 value from the previous root secret opens too.
    const legacy = await sealV1(ROOT, LABEL, "xoxb-legacy", "org-1");
    expect(await openSealed(NEXT_ROOT, LABEL, legacy, "org-1", ROOT)).toEqual({ ok: true, plaintext: "xoxb-legacy", stale: true });
  });
});
