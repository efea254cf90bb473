import { describe, expect, it } from "vitest";
import { checkOutboundUrl, isLoopbackHost, isPrivateAddress, resolvedAddressProblem } from "../src/lib/url-safety";

const production = { allowLoopback: false };
const localDev = { allowLoopback: true };

/** The reason a URL is refused (failing the test if it is accepted). */
function refusal(url: string, opts = production): string {
  const check = checkOutboundUrl(url, opts);
  if (check.ok) throw new Error(`${url} was accepted`);
  return check.reason;
}

describe("checkOutboundUrl", () => {
  it.each([
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://example.com/hooks/reports",
    "https://93.184.216.34/hook",
    "https://[2606:4700::1111]/hook",
    "https://[2001:4860:4860::8888]/hook",
    "https://[2a00:1450:4001:82b::200e]/hook",
  ])("accepts the public https URL %s", (url) => {
    expect(checkOutboundUrl(url, production).ok).toBe(true);
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
    expect(checkOutboundUrl(url, production).ok).toBe(false);
  });

  it("allows loopback over http only when local development allows it, and nothing else private", () => {
    expect(checkOutboundUrl("http://127.0.0.1:9999/hook", localDev).ok).toBe(true);
    expect(checkOutboundUrl("http://[::1]:9999/hook", localDev).ok).toBe(true);
    expect(checkOutboundUrl("http://127.0.0.1:9999/hook", production).ok).toBe(false);
    expect(checkOutboundUrl("http://10.0.0.1/hook", localDev).ok).toBe(false);
    expect(checkOutboundUrl("http://example.com/hook", localDev).ok).toBe(false);
  });
});

describe("IPv6 forms of private, loopback and special addresses", () => {
  // [label, URL, what the reason must say]
  it.each([
    ["the unspecified address", "https://[::]/hook", "the unspecified address (::)"],
    ["the unspecified address, written out", "https://[0:0:0:0:0:0:0:0]/hook", "the unspecified address (::)"],
    ["loopback", "https://[::1]/hook", "the loopback address (::1)"],
    ["loopback, written out", "https://[0000:0:0:0:0:0:0:1]/hook", "the loopback address (::1)"],
    ["IPv4-compatible loopback", "https://[::127.0.0.1]/hook", "the IPv4-compatible form of 127.0.0.1"],
    ["IPv4-compatible, even of a public address (deprecated)", "https://[::8.8.8.8]/hook", "the IPv4-compatible form of 8.8.8.8"],
    ["IPv4-translated loopback", "https://[::ffff:0:127.0.0.1]/hook", "the IPv4-translated form of 127.0.0.1, a loopback address"],
    ["IPv4-mapped loopback (dotted)", "https://[::ffff:127.0.0.1]/hook", "the IPv4-mapped form of 127.0.0.1, a loopback address"],
    ["IPv4-mapped loopback (hex)", "https://[::ffff:7f00:1]/hook", "the IPv4-mapped form of 127.0.0.1, a loopback address"],
    ["IPv4-mapped loopback, written out", "https://[0:0:0:0:0:ffff:7f00:0001]/hook", "the IPv4-mapped form of 127.0.0.1"],
    ["IPv4-mapped private 10/8", "https://[::ffff:10.1.2.3]/hook", "the IPv4-mapped form of 10.1.2.3, a private address"],
    ["IPv4-mapped cloud metadata", "https://[::ffff:169.254.169.254]/hook", "the IPv4-mapped form of 169.254.169.254, a link-local address"],
    ["6to4 of loopback", "https://[2002:7f00:1::]/hook", "the 6to4 form of 127.0.0.1, a loopback address"],
    ["6to4 of a private address", "https://[2002:c0a8:101::1]/hook", "the 6to4 form of 192.168.1.1, a private address"],
    ["6to4 of cloud metadata", "https://[2002:a9fe:a9fe::]/hook", "the 6to4 form of 169.254.169.254"],
    ["NAT64 of loopback", "https://[64:ff9b::7f00:1]/hook", "the NAT64 form of 127.0.0.1, a loopback address"],
    ["NAT64 of a private address (dotted)", "https://[64:ff9b::10.0.0.1]/hook", "the NAT64 form of 10.0.0.1, a private address"],
    ["local-use NAT64", "https://[64:ff9b:1::a00:1]/hook", "a local-use NAT64 address (64:ff9b:1::/48)"],
    ["Teredo", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook", "a Teredo tunnel address (2001::/32)"],
    ["Teredo, short", "https://[2001::1]/hook", "a Teredo tunnel address (2001::/32)"],
    ["another IETF protocol assignment (benchmarking)", "https://[2001:2::1]/hook", "an IETF protocol assignment (2001::/23)"],
    ["site-local", "https://[fec0::1]/hook", "a site-local address (fec0::/10, deprecated)"],
    ["site-local, top of the range", "https://[feff::1]/hook", "a site-local address"],
    ["unique local fc00::/7, low end", "https://[fc00::1]/hook", "a unique local (private) address (fc00::/7)"],
    ["unique local fc00::/7, high end", "https://[fdff:ffff::1]/hook", "a unique local (private) address"],
    ["link-local", "https://[fe80::1]/hook", "a link-local address (fe80::/10)"],
    ["link-local, top of the range", "https://[febf::1]/hook", "a link-local address (fe80::/10)"],
    ["multicast", "https://[ff02::1]/hook", "a multicast address (ff00::/8)"],
    ["multicast, global scope", "https://[ff0e::101]/hook", "a multicast address (ff00::/8)"],
    ["documentation 2001:db8::/32", "https://[2001:db8::1]/hook", "a documentation address (2001:db8::/32)"],
    ["documentation 3fff::/20", "https://[3fff::1]/hook", "a documentation address (3fff::/20)"],
    ["discard-only", "https://[100::1]/hook", "a discard-only address (100::/64)"],
    ["outside global unicast", "https://[4000::1]/hook", "outside global unicast (2000::/3)"],
  ])("refuses %s", (_, url, reason) => {
    expect(refusal(url)).toContain(reason);
    expect(refusal(url)).toMatch(/^must not point at \[/);
  });

  it.each([
    ["IPv4-mapped", "https://[::ffff:93.184.216.34]/hook"],
    ["NAT64", "https://[64:ff9b::93.184.216.34]/hook"],
    ["6to4", "https://[2002:5db8:d822::1]/hook"],
  ])("judges the %s form by the IPv4 address it carries, so a public one passes", (_, url) => {
    expect(checkOutboundUrl(url, production).ok).toBe(true);
  });

  it("is not fooled by addresses next to the refused ranges", () => {
    for (const url of ["https://[2001:200::1]/hook", "https://[2001:db9::1]/hook", "https://[2003::1]/hook", "https://[3ffe:ffff::1]/hook"]) {
      expect(checkOutboundUrl(url, production).ok, url).toBe(true);
    }
  });
});

describe("host names with a trailing dot", () => {
  it.each([
    ["localhost.", "a localhost name"],
    ["LOCALHOST.", "a localhost name"],
    ["app.localhost.", "a localhost name"],
    ["metadata.google.internal.", "an .internal name"],
    ["foo.internal.", "an .internal name"],
    ["printer.local.", "a .local (multicast DNS) name"],
    ["metadata.", "a cloud metadata service name"],
  ])("refuses %s like the name without the dot", (host, reason) => {
    expect(refusal(`https://${host}/hook`)).toContain(`must not point at ${host.toLowerCase()}, ${reason}`);
    expect(refusal(`https://${host.slice(0, -1)}/hook`)).toContain(reason);
  });

  it("refuses an IPv4 address with a trailing dot (the URL parser drops the dot)", () => {
    expect(refusal("https://127.0.0.1./hook")).toContain("a loopback address (127.0.0.0/8)");
    expect(refusal("https://169.254.169.254./latest")).toContain("a link-local address");
  });

  it("still accepts a public name written with the root label", () => {
    expect(checkOutboundUrl("https://hooks.slack.com./services/T000/B000/XXXX", production).ok).toBe(true);
  });

  it("treats localhost. as loopback under local development", () => {
    expect(isLoopbackHost("localhost.")).toBe(true);
    expect(checkOutboundUrl("http://localhost.:8787/hook", localDev).ok).toBe(true);
  });
});

describe("ports", () => {
  it.each(["https://example.com/hook", "https://example.com:443/hook", "https://example.com:8443/hook", "https://93.184.216.34:8443/hook"])(
    "accepts https on 443 or 8443: %s",
    (url) => {
      expect(checkOutboundUrl(url, production).ok).toBe(true);
    },
  );

  it.each([
    ["SSH", "https://example.com:22/hook", "22"],
    ["SMTP", "https://example.com:25/hook", "25"],
    ["port 80 over https", "https://example.com:80/hook", "80"],
    ["an alternative HTTP port", "https://example.com:8080/hook", "8080"],
    ["a development server", "https://example.com:3000/hook", "3000"],
    ["Redis", "https://example.com:6379/hook", "6379"],
    ["the highest port", "https://example.com:65535/hook", "65535"],
    ["a public IPv4 literal", "https://93.184.216.34:8080/hook", "8080"],
    ["a public IPv6 literal", "https://[2606:4700::1111]:9000/hook", "9000"],
  ])("refuses %s", (_, url, port) => {
    expect(refusal(url)).toBe(`must use port 443 or 8443, not ${port}`);
  });

  it("does not open other ports to public hosts under local development", () => {
    expect(refusal("https://example.com:8080/hook", localDev)).toBe("must use port 443 or 8443, not 8080");
    expect(refusal("http://example.com:8443/hook", localDev)).toBe("must use https");
  });

  it.each([
    "http://127.0.0.1:9999/hook",
    "http://127.0.0.1:1/hook",
    "http://127.0.0.1:65535/hook",
    "http://127.0.0.1/hook",
    "https://127.0.0.1:8080/hook",
    "http://127.8.9.10:3000/hook",
    "http://[::1]:8080/hook",
    "http://localhost:3000/hook",
  ])("keeps loopback on any port and scheme under local development: %s", (url) => {
    expect(checkOutboundUrl(url, localDev).ok).toBe(true);
  });

  it("names the address rather than the port when both are wrong", () => {
    expect(refusal("https://10.0.0.1:8080/hook")).toContain("a private address (10.0.0.0/8)");
  });
});

describe("addresses a resolver answers", () => {
  it.each([
    ["10.1.2.3", "a private address (10.0.0.0/8)"],
    ["169.254.169.254", "a link-local address"],
    ["::1", "the loopback address (::1)"],
    ["0:0:0:0:0:0:0:1", "the loopback address (::1)"],
    ["::ffff:10.0.0.1", "the IPv4-mapped form of 10.0.0.1"],
    ["::FFFF:7F00:1", "the IPv4-mapped form of 127.0.0.1"],
    ["2002:7f00:1::", "the 6to4 form of 127.0.0.1"],
    ["64:ff9b::7f00:1", "the NAT64 form of 127.0.0.1"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo tunnel address"],
    ["fec0::1", "a site-local address"],
    ["fd00::1", "a unique local (private) address"],
  ])("refuses %s", (address, reason) => {
    expect(resolvedAddressProblem(address)).toContain(reason);
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["example.com", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::ffff:1.2.3", "1.2.3.4::", "fe80::1%eth0", "::g", ""])(
    "refuses %j, which is not an IP address",
    (address) => {
      expect(resolvedAddressProblem(address)).toContain("not an IP address");
    },
  );

  it.each(["1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::ffff:1.2.3"])("treats the unreadable IPv6 literal %s as private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "2606:4700::1111", "2606:4700:0:0:0:0:0:1111", "::ffff:93.184.215.14"])("accepts the public address %s", (address) => {
    expect(resolvedAddressProblem(address)).toBeNull();
    expect(isPrivateAddress(address)).toBe(false);
  });
});
