/*
 * The attack corpus, outbound request family: recipient URLs that lead to our own machine, a private
 * network or a cloud's metadata service, in the spellings that slip past naive checks (IPv4 inside
 * IPv6, 6to4, NAT64, Teredo, site-local, decimal/octal/hex IPv4, a root dot, odd ports, plain http).
 * Each is tried where a URL is saved (a webhook, Slack or Teams recipient), in "send a test", and in
 * a real delivery: refused every time, and the local server that records every request it gets (the
 * URLs aimed at 127.0.0.1 use its port) gets none. The tests run under local development, where
 * loopback itself is allowed on purpose; the guard's production mode is checked to refuse it too.
 */

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkSendUrl } from "../src/channels/outbound-url";
import { DeliveryFailure } from "../src/channels/types";
import { config } from "../src/config";
import { checkOutboundUrl } from "../src/lib/url-safety";
import { api, newOrganization, unique } from "./support/api";
import { fingerprint } from "./support/attack";
import { consumeDeliveries, deliveryFixture, deliveryRow, fake, fakeUrl } from "./support/delivery-factories";
import { createReport, reportBody } from "./support/factories";

const port = () => new URL(fakeUrl()).port;

/** Hosts (with scheme and port) that must never get a request, whatever the deployment. */
const FORMS = (): [string, string][] => [
  ["IPv4-compatible ::127.0.0.1", `https://[::127.0.0.1]:${port()}`],
  ["IPv4-translated ::ffff:0:127.0.0.1", `https://[::ffff:0:127.0.0.1]:${port()}`],
  ["IPv4-mapped ::ffff:127.0.0.1 over http", `http://[::ffff:127.0.0.1]:${port()}`],
  ["6to4 of 127.0.0.1", "https://[2002:7f00:1::]"],
  ["6to4 of 169.254.169.254", "https://[2002:a9fe:a9fe::1]"],
  ["NAT64 of 169.254.169.254", "https://[64:ff9b::a9fe:a9fe]"],
  ["site-local fec0::1", "https://[fec0::1]"],
  ["Teredo (2001:0::/32)", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]"],
  ["unique local fd00::1", "https://[fd00::1]"],
  ["link-local fe80::1", "https://[fe80::1]"],
  ["metadata.google.internal. with the root dot", "https://metadata.google.internal."],
  ["metadata.google.internal", "https://metadata.google.internal"],
  ["a name under .localhost", `https://reports.localhost:${port()}`],
  ["169.254.169.254", "https://169.254.169.254"],
  ["169.254.169.254 as one decimal number", "https://2852039166"],
  ["169.254.169.254 in octal", "https://0251.0376.0251.0376"],
  ["169.254.169.254 in hex", "https://0xa9.0xfe.0xa9.0xfe"],
  ["10.0.0.1 as one decimal number", "https://167772161"],
  ["192.168.0.1 written 192.168.1", "https://192.168.1"],
  ["0.0.0.0 on the recorder's port", `http://0.0.0.0:${port()}`],
  ["a public name on port 8080", "https://example.com:8080"],
  ["a public name on port 22", "https://example.com:22"],
  ["plain http to a public name", "http://example.com"],
  ["credentials in the URL", "https://user:secret@example.com"],
];

const CHANNELS = ["webhook", "slack", "teams"] as const;

/** A URL of each form with a path unique to this case: if the guard let it through, the recorder would show it. */
const urlsOf = (tag: string) => FORMS().map(([name, base]) => ({ name, url: `${base}/ssrf-${tag}-${unique("p")}` }));
const pathOf = (url: string) => `/${url.split("/").slice(3).join("/")}`;

async function nothingFetched(urls: { url: string }[]) {
  for (const { url } of urls) expect(await fake.requestsTo(pathOf(url)), url).toEqual([]);
}

describe("the attack corpus: recipient URLs that lead inside", () => {
  it("has a recorder that sees a request to its port (so that seeing none means none was made)", async () => {
    const path = `/ssrf-control-${unique("p")}`;
    await fetch(`http://127.0.0.1:${port()}${path}`, { method: "POST", body: "{}" });
    expect(await fake.requestsTo(path)).toHaveLength(1);
  });

  it("refuses each form when a webhook, Slack or Teams recipient is saved, created or changed, and writes nothing", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { recipients: [] });
    const before = await fingerprint([admin.organizationId]);
    const urls = urlsOf("save");
    const problems: string[] = [];
    for (const type of CHANNELS) {
      for (const { name, url } of urls) {
        const recipients = [{ type, value: url }];
        const created = await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients }) });
        const patched = await api(`/api/scheduled-reports/${report.id}`, { method: "PATCH", token: admin.token, body: { recipients } });
        for (const [verb, res] of [
          ["create", created],
          ["update", patched],
        ] as const) {
          if (
            res.status !== 400 ||
            res.body?.error?.code !== "validation_failed" ||
            !res.body.error.details?.some((d: any) => d.path === "recipients.0.value")
          ) {
            problems.push(`${type} ${name} (${verb}): ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint([admin.organizationId])).toEqual(before);
    await nothingFetched(urls);
  });

  it("refuses each form in send a test, before anything is sent, and writes nothing", async () => {
    const admin = await newOrganization();
    const before = await fingerprint([admin.organizationId]);
    const urls = urlsOf("test");
    const problems: string[] = [];
    for (const type of CHANNELS) {
      for (const { name, url } of urls) {
        const res = await api("/api/recipients/test", { token: admin.token, body: { type, value: url } });
        if (res.status !== 400 || res.body?.error?.code !== "validation_failed" || res.body.error.details?.[0]?.path !== "value") {
          problems.push(`${type} ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint([admin.organizationId])).toEqual(before);
    await nothingFetched(urls);
  });

  it("fails a real delivery to each form for good as unsafe_url, and fetches nothing", async () => {
    const urls = urlsOf("send");
    const admin = await newOrganization();
    const problems: string[] = [];
    for (const type of CHANNELS) {
      // A few recipients a run (one insert statement holds at most 100 bound values).
      for (let from = 0; from < urls.length; from += 5) {
        const some = urls.slice(from, from + 5);
        const fx = await deliveryFixture({ admin, recipients: some.map(({ url }) => ({ type, value: url })) });
        await consumeDeliveries(fx.deliveryIds.map((id) => fx.job(id)));
        for (const [i, id] of fx.deliveryIds.entries()) {
          const row = await deliveryRow(id);
          if (row.status !== "failed" || row.failureClass !== "unsafe_url")
            problems.push(`${type} ${some[i]!.name}: ${row.status} ${row.failureClass} ${row.lastError}`);
        }
      }
    }
    expect(problems).toEqual([]);
    await nothingFetched(urls);
  });

  it("refuses a public name that resolves to a private address at send time (test and real delivery)", async () => {
    const admin = await newOrganization();
    const cases = [
      ["127.0.0.1", ["127.0.0.1"]],
      ["169.254.169.254", ["169.254.169.254"]],
      ["::1 among public addresses", ["93.184.216.34", "::1"]],
      ["::ffff:10.0.0.1", ["::ffff:10.0.0.1"]],
    ] as const;
    const urls: { url: string }[] = [];
    for (const [name, addresses] of cases) {
      const host = `${unique("rebind")}.example.com`;
      await fake.dns(host, [...addresses]);
      for (const type of ["webhook", "slack"] as const) {
        const url = `https://${host}/ssrf-dns-${unique("p")}`;
        urls.push({ url });
        const res = await api("/api/recipients/test", { token: admin.token, body: { type, value: url } });
        expect(res.status, `${type} ${name}`).toBe(422);
        expect(res.body.error).toMatchObject({ code: "test_delivery_failed", details: [{ path: "value", message: "unsafe_url" }] });
        const fx = await deliveryFixture({ admin, recipients: [{ type, value: url }] });
        await consumeDeliveries([fx.job(fx.deliveryIds[0]!)]);
        expect(await deliveryRow(fx.deliveryIds[0]!), `${type} ${name}`).toMatchObject({ status: "failed", failureClass: "unsafe_url" });
      }
    }
    await nothingFetched(urls);
  });
});

describe("the outbound URL guard in production mode (allowLoopback false)", () => {
  const LOOPBACK = () => [
    `http://127.0.0.1:${port()}/x`,
    "https://127.0.0.1/x",
    "https://127.1.2.3/x",
    "https://localhost/x",
    "https://localhost./x",
    "https://LOCALHOST/x",
    "https://2130706433/x",
    "https://0177.0.0.1/x",
    "https://0x7f.0.0.1/x",
    "https://0x7f000001/x",
    "https://[::1]/x",
    `http://[::1]:${port()}/x`,
    "https://[0:0:0:0:0:0:0:1]/x",
  ];

  it("refuses every loopback spelling that local development lets through", () => {
    for (const url of LOOPBACK()) {
      expect(checkOutboundUrl(url, { allowLoopback: false }).ok, url).toBe(false);
      // Local development accepts them on purpose (tests and `npm start` receive deliveries on 127.0.0.1).
      expect(checkOutboundUrl(url, { allowLoopback: true }).ok, url).toBe(true);
    }
    for (const [name, base] of FORMS()) {
      for (const allowLoopback of [false, true]) expect(checkOutboundUrl(`${base}/x`, { allowLoopback }).ok, `${name} ${allowLoopback}`).toBe(false);
    }
  });

  it("refuses them again at send time, before any request is made", async () => {
    const production = { ...config(env).delivery, localDev: false };
    const urls = LOOPBACK().map((u) => `${u.replace(/\/x$/, "")}/ssrf-prod-${unique("p")}`);
    for (const url of urls) {
      const failure = await checkSendUrl(production, url, "webhook").catch((e: unknown) => e);
      expect(failure, url).toBeInstanceOf(DeliveryFailure);
      expect((failure as DeliveryFailure).failureClass, url).toBe("unsafe_url");
    }
    await nothingFetched(urls.map((url) => ({ url })));
  });
});
