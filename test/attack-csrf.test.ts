/*
 * The attack corpus, cross-site request family: every operation of the OpenAPI document that changes
 * something and accepts a session, called the way a hostile page would make the browser call it
 * (the session cookie attached, a foreign or missing Origin), is refused with 403 before anything
 * is read or written. (Local development also accepts any loopback Origin, by design: the dashboard's
 * dev server runs on another port; such origins are not tried here.)
 */
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { contractOf, envelopeProblem, type Fixture, fingerprint, operations, pathOf, seedVictim } from "./support/attack";

let f: Fixture;
beforeAll(async () => {
  f = await seedVictim();
});

/** How a cross-site request can look: what the browser sends for a form post or a fetch from another site. */
const CROSS_SITE: [string, Record<string, string>][] = [
  ["a foreign Origin", { origin: "https://evil.example" }],
  ["no Origin", {}],
  ["Origin null (a sandboxed frame or a redirect)", { origin: "null" }],
  ["Sec-Fetch-Site cross-site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
  ["Sec-Fetch-Site same-site (a sibling subdomain)", { origin: "https://reports.evil.example", "sec-fetch-site": "same-site" }],
  ["our host as a prefix of another", { origin: "http://127.0.0.1:8787.evil.example" }],
  ["a name that starts like ours", { origin: "http://localhost.evil.example:8787" }],
];

describe("the attack corpus: cookie-authenticated changes from another site", () => {
  const changing = operations.filter((op) => op.security === "Bearer" && op.method !== "GET");

  it("covers every operation that changes something with a session", () => {
    expect(changing.length).toBeGreaterThan(20);
    expect(changing.filter((op) => !contractOf(op)).map((op) => op.key)).toEqual([]);
  });

  it.each(changing.map((op) => [op.key, op] as const))("%s", async (_, op) => {
    const body = contractOf(op)!.body?.(f);
    const before = await fingerprint([f.admin.organizationId]);
    const problems: string[] = [];
    for (const [name, headers] of CROSS_SITE) {
      const res = await SELF.fetch(`http://127.0.0.1:8787${pathOf(op, f)}`, {
        method: op.method,
        headers: {
          cookie: `sr_session=${f.admin.token}`,
          "cf-connecting-ip": "203.0.113.9",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const problem = await envelopeProblem(res, 403, "forbidden");
      if (problem) problems.push(`${name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await fingerprint([f.admin.organizationId])).toEqual(before);
  });
});
