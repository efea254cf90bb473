import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkSendUrl } from "../src/channels/outbound-url";
import { DeliveryFailure } from "../src/channels/types";
import { config, type DeliveryConfig } from "../src/config";
import { unique } from "./support/api";
import { fake, fakeUrl } from "./support/delivery-factories";

/*
 * checkSendUrl against the fake DNS-over-HTTPS resolver (test/support/fake-services): every test
 * registers its own unique name there, so files running at once cannot answer for each other.
 */
const production = (): DeliveryConfig => ({ ...config(env).delivery, localDev: false, dnsUrl: `${fakeUrl()}/dns-query` });
const localDev = (): DeliveryConfig => ({ ...config(env).delivery, localDev: true, dnsUrl: `${fakeUrl()}/dns-query` });
/** A resolver nobody listens on: a check that passes with it did not ask DNS. */
const noResolver = (base: DeliveryConfig): DeliveryConfig => ({ ...base, dnsUrl: "http://127.0.0.1:1/dns-query" });

const name = (label: string) => `${unique(label)}.example.net`;

/** The DeliveryFailure checkSendUrl threw (failing the test if it accepted the URL). */
async function failure(cfg: DeliveryConfig, url: string): Promise<DeliveryFailure> {
  try {
    await checkSendUrl(cfg, url, "webhook");
  } catch (err) {
    if (err instanceof DeliveryFailure) return err;
    throw err;
  }
  throw new Error(`${url} was accepted`);
}

describe("checkSendUrl resolves names and refuses private answers", () => {
  it.each([
    ["a private IPv4 address", ["10.1.2.3"], "10.1.2.3, a private address (10.0.0.0/8)"],
    ["cloud metadata", ["169.254.169.254"], "169.254.169.254, a link-local address"],
    ["IPv6 loopback", ["::1"], "[::1], the loopback address (::1)"],
    ["IPv4-mapped loopback", ["::ffff:127.0.0.1"], "the IPv4-mapped form of 127.0.0.1"],
    ["IPv4-compatible loopback", ["::127.0.0.1"], "the IPv4-compatible form of 127.0.0.1"],
    ["6to4 of loopback", ["2002:7f00:1::"], "the 6to4 form of 127.0.0.1"],
    ["NAT64 of loopback", ["64:ff9b::7f00:1"], "the NAT64 form of 127.0.0.1"],
    ["Teredo", ["2001:0:4136:e378:8000:63bf:3fff:fdd2"], "a Teredo tunnel address"],
    ["site-local", ["fec0::1"], "a site-local address"],
    ["a public and a private address", ["93.184.215.14", "fd00::1"], "[fd00::1], a unique local (private) address"],
    ["something that is not an address", ["not-an-address"], "not-an-address, which is not an IP address"],
  ])("refuses a name that resolves to %s", async (_, addresses, reason) => {
    const host = name("rebound");
    await fake.dns(host, addresses);
    const err = await failure(production(), `https://${host}/hook`);
    expect(err.failureClass).toBe("unsafe_url");
    expect(err.message).toContain(`The webhook host ${host} resolves to `);
    expect(err.message).toContain(reason);
    expect(err.message).toMatch(/; nothing was sent$/);
  });

  it("refuses a name with no A and no AAAA record", async () => {
    const unknown = name("nowhere");
    const err = await failure(production(), `https://${unknown}/hook`);
    expect(err.failureClass).toBe("unsafe_url");
    expect(err.message).toBe(`The webhook host ${unknown} resolves to no address; nothing was sent`);

    const empty = name("empty");
    await fake.dns(empty, []);
    expect((await failure(production(), `https://${empty}/hook`)).message).toContain("resolves to no address");
  });

  it("resolves a name written with the root label as the name without it", async () => {
    const host = name("dotted");
    await fake.dns(host, ["10.9.8.7"]);
    expect((await failure(production(), `https://${host}./hook`)).message).toContain("resolves to 10.9.8.7, a private address");
    const ok = name("dotted-ok");
    await fake.dns(ok, ["93.184.215.14"]);
    expect((await checkSendUrl(production(), `https://${ok}./hook`, "webhook")).hostname).toBe(`${ok}.`);
  });

  it.each([
    ["an IPv4 address", ["93.184.215.14"]],
    ["an IPv6 address", ["2606:4700::1111"]],
    ["both", ["93.184.215.14", "2606:4700::1111"]],
    ["the IPv4-mapped form of a public address", ["::ffff:93.184.215.14"]],
  ])("accepts a name that resolves only to public addresses: %s", async (_, addresses) => {
    const host = name("public");
    await fake.dns(host, addresses);
    const url = await checkSendUrl(production(), `https://${host}/hooks/reports`, "webhook");
    expect(url.href).toBe(`https://${host}/hooks/reports`);
    expect((await checkSendUrl(production(), `https://${host}:8443/hooks/reports`, "Slack")).port).toBe("8443");
  });

  it("retries later when the resolver fails rather than refusing for good", async () => {
    const host = name("servfail");
    const path = `/dns-servfail/${unique("r")}`;
    await fake.script(path, [{ status: 200, headers: { "content-type": "application/dns-json" }, body: JSON.stringify({ Status: 2 }) }]);
    const err = await failure({ ...production(), dnsUrl: `${fakeUrl()}${path}` }, `https://${host}/hook`);
    expect(err.failureClass).toBe("network");
    expect(err.message).toContain("DNS status 2");
  });
});

describe("checkSendUrl without DNS", () => {
  it.each(["https://93.184.216.34/hook", "https://93.184.216.34:8443/hook", "https://[2606:4700::1111]/hook"])(
    "accepts the public IP literal %s without asking the resolver",
    async (url) => {
      expect((await checkSendUrl(noResolver(production()), url, "webhook")).href).toBe(url);
    },
  );

  it.each([
    ["IPv4-compatible loopback", "https://[::127.0.0.1]/hook"],
    ["IPv4-translated loopback", "https://[::ffff:0:127.0.0.1]/hook"],
    ["IPv4-mapped loopback", "https://[::ffff:7f00:1]/hook"],
    ["6to4 of loopback", "https://[2002:7f00:1::]/hook"],
    ["site-local", "https://[fec0::1]/hook"],
    ["Teredo", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook"],
    ["NAT64 of loopback", "https://[64:ff9b::7f00:1]/hook"],
    ["localhost.", "https://localhost./hook"],
    ["metadata.google.internal.", "https://metadata.google.internal./computeMetadata/v1/"],
    ["foo.internal.", "https://foo.internal./hook"],
    ["a port other than 443 and 8443", "https://example.com:8080/hook"],
    ["loopback in production", "http://127.0.0.1:9/hook"],
  ])("refuses %s before resolving anything", async (_, url) => {
    const err = await failure(noResolver(production()), url);
    expect(err.failureClass).toBe("unsafe_url");
    expect(err.message).toMatch(/^The webhook URL .+; nothing was sent$/);
  });

  it.each([
    "http://127.0.0.1:8787/hook",
    "http://127.0.0.1:1/hook",
    "https://127.0.0.1:9443/hook",
    "http://[::1]:3000/hook",
    "http://localhost:3000/hook",
    "http://localhost.:3000/hook",
  ])("sends to loopback %s on any port under local development, without asking the resolver", async (url) => {
    expect((await checkSendUrl(noResolver(localDev()), url, "webhook")).href).toBe(url);
  });
});
