import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../src/lib/url-safety";

describe("checkOutboundUrl", () => {
  it.each([
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://example.com/hooks/reports",
    "https://93.184.216.34/hook",
    "https://[2606:4700::1111]/hook",
  ])("accepts the public https URL %s", (url) => {
    expect(checkOutboundUrl(url, { allowLoopback: false }).ok).toBe(true);
  });

  it.each([
    ["plain http", "http://example.com/hook"],
    ["another scheme", "ftp://example.com/hook"],
    ["credentials in the URL", "https://user:pass@example.com/hook"],
    ["loopback", "https://127.0.0.1/hook"],
    ["loopback by name", "https://localhost/hook"],
    ["loopback in decimal", "https://2130706433/hook"],
    ["loopback in hex", "https://0x7f000001/hook"],
    ["loopback in short form", "https://127.1/hook"],
    ["loopback in octal", "https://0177.0.0.1/hook"],
    ["private 10/8", "https://10.0.0.8/hook"],
    ["private 172.16/12", "https://172.20.1.1/hook"],
    ["private 192.168/16", "https://192.168.1.10/hook"],
    ["CGNAT", "https://100.64.0.1/hook"],
    ["link-local metadata", "https://169.254.169.254/latest/meta-data"],
    ["the unspecified address", "https://0.0.0.0/hook"],
    ["IPv6 loopback", "https://[::1]/hook"],
    ["IPv6 unique local", "https://[fd12:3456::1]/hook"],
    ["IPv6 link-local", "https://[fe80::1]/hook"],
    ["IPv4-mapped IPv6 loopback", "https://[::ffff:127.0.0.1]/hook"],
    ["IPv4-mapped IPv6 metadata in hex", "https://[::ffff:a9fe:a9fe]/hook"],
    ["GCP metadata name", "https://metadata.google.internal/computeMetadata/v1/"],
    ["an .internal name", "https://db.internal/hook"],
    ["not a URL", "hooks.example.com"],
  ])("refuses %s", (_, url) => {
    expect(checkOutboundUrl(url, { allowLoopback: false }).ok).toBe(false);
  });

  it("allows loopback over http only when local development allows it, and nothing else private", () => {
    expect(checkOutboundUrl("http://127.0.0.1:9999/hook", { allowLoopback: true }).ok).toBe(true);
    expect(checkOutboundUrl("http://[::1]:9999/hook", { allowLoopback: true }).ok).toBe(true);
    expect(checkOutboundUrl("http://127.0.0.1:9999/hook", { allowLoopback: false }).ok).toBe(false);
    expect(checkOutboundUrl("http://10.0.0.1/hook", { allowLoopback: true }).ok).toBe(false);
    expect(checkOutboundUrl("http://example.com/hook", { allowLoopback: true }).ok).toBe(false);
  });
});
