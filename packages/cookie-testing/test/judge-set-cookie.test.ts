import { describe, expect, it } from "vitest";
import { judgeSetCookie, type SetCookieVerdict } from "../src/index.js";

const NOW = new Date("2031-05-17T08:09:10.000Z");
const DAY_S = 24 * 60 * 60;

const judge = (line: string, url?: string) => judgeSetCookie(line, url, NOW);

function accepted(verdict: SetCookieVerdict) {
  if (!verdict.accepted) throw new Error(`expected the line to be accepted, but ${verdict.reason}`);
  return verdict;
}

function rejected(verdict: SetCookieVerdict) {
  if (verdict.accepted) throw new Error("expected the line to be rejected");
  return verdict;
}

describe("judgeSetCookie(line, requestUrl, now)", () => {
  it("accepts a plain cookie as a host-only session cookie for http://localhost/", () => {
    expect(judgeSetCookie("a=1")).toEqual({
      accepted: true,
      cookie: {
        name: "a",
        value: "1",
        domain: "localhost",
        hostOnly: true,
        path: "/",
        expires: undefined,
        secure: false,
        httpOnly: false,
        sameSite: undefined,
      },
      expired: false,
      ignored: [],
    });
  });

  it("keeps the value as sent, quotes and percent-encoding included", () => {
    expect(accepted(judge('a="x%3Ay"')).cookie.value).toBe('"x%3Ay"');
  });

  it("reads the attributes in any case", () => {
    const { cookie } = accepted(judge("a=1; path=/x; HTTPONLY; secure; samesite=strict"));
    expect(cookie).toMatchObject({ path: "/x", httpOnly: true, secure: true, sameSite: "strict" });
  });

  describe("the name and value", () => {
    it("accepts a pair without '=' as a nameless cookie, as browsers do", () => {
      expect(accepted(judge("abc")).cookie).toMatchObject({ name: "", value: "abc" });
    });

    it("rejects a line with a control character anywhere, even in an attribute (RFC 6265bis §5.6 step 1)", () => {
      expect(rejected(judge("a=1\u0001; Path=/"))).toEqual({
        accepted: false,
        name: "a",
        rule: "control-character",
        reason:
          "a browser rejects it: it contains a control character (U+0001) at position 4, and a browser ignores such a line entirely",
      });
      expect(rejected(judge("a=1; Path=/\u007f")).rule).toBe("control-character");
      expect(rejected(judge("a=1\u0000")).rule).toBe("control-character");
    });

    it("accepts a tab, the one control character a line may hold", () => {
      expect(accepted(judge("a=1;\tPath=/x")).cookie.path).toBe("/x");
    });

    it("rejects a line with neither a name nor a value", () => {
      expect(rejected(judge("="))).toMatchObject({
        rule: "empty",
        reason: "a browser rejects it: it has neither a name nor a value",
      });
    });

    it("accepts a name and value of 4096 bytes together, and rejects 4097", () => {
      expect(judge(`a=${"v".repeat(4095)}`).accepted).toBe(true);
      expect(rejected(judge(`ab=${"v".repeat(4095)}`))).toMatchObject({
        rule: "too-big",
        reason: "a browser rejects it: its name and value are 4097 bytes, over the 4096 a browser keeps",
      });
    });

    it("counts only the name and value: a longer line is fine (Chromium since version 104)", () => {
      expect(judge(`a=${"v".repeat(4000)}; Path=/${"p".repeat(500)}; SameSite=Lax`).accepted).toBe(true);
    });
  });

  describe("attribute values over 1024 bytes", () => {
    it("reads a value of 1024 bytes", () => {
      const path = `/${"p".repeat(1023)}`;
      expect(accepted(judge(`a=1; Path=${path}`)).cookie.path).toBe(path);
    });

    it("ignores a longer Path, Domain or Max-Age, and says so", () => {
      const verdict = accepted(
        judge(
          `a=1; Path=/${"p".repeat(1024)}; Domain=${"d".repeat(1025)}; Max-Age=${"9".repeat(1025)}`,
          "http://localhost/x/y",
        ),
      );
      expect(verdict.cookie).toMatchObject({ path: "/x", hostOnly: true, expires: undefined });
      expect(verdict.ignored.map((attribute) => `${attribute.name} ${attribute.why}`)).toEqual([
        "Path is longer than the 1024 bytes a browser reads",
        "Domain is longer than the 1024 bytes a browser reads",
        "Max-Age is longer than the 1024 bytes a browser reads",
      ]);
    });
  });

  describe("Secure", () => {
    it("accepts Secure over http://localhost and other loopback hosts, which Chromium counts as secure", () => {
      for (const url of [
        "http://localhost/",
        "http://app.localhost/",
        "http://127.0.0.1/",
        "http://[::1]/",
        "https://example.com/",
      ]) {
        expect(judge("a=1; Secure", url).accepted, url).toBe(true);
      }
    });

    it("rejects Secure over plain HTTP elsewhere", () => {
      expect(rejected(judge("a=1; Secure", "http://example.com/"))).toMatchObject({
        rule: "insecure-origin",
        reason:
          "a browser rejects it: it is Secure, and only an HTTPS page (or localhost) may set a Secure cookie, not http://example.com",
      });
    });
  });

  describe("Domain", () => {
    it("rejects a Domain the host does not match, and names both", () => {
      expect(rejected(judge("a=1; Domain=example.com"))).toMatchObject({
        name: "a",
        rule: "domain",
        reason: "a browser rejects it: Domain=example.com does not match the host localhost",
      });
    });

    it("makes Domain=localhost (any case, with a dot or not) a host-only cookie, as Chromium does", () => {
      for (const domain of ["localhost", ".LOCALHOST"]) {
        expect(accepted(judge(`a=1; Domain=${domain}`)).cookie).toMatchObject({ domain: "localhost", hostOnly: true });
      }
    });

    it("rejects a subdomain of localhost, which has no registrable domain", () => {
      expect(rejected(judge("a=1; Domain=www.localhost")).rule).toBe("domain");
    });

    it("gives a host with a registrable domain a Domain cookie for itself or a parent", () => {
      expect(accepted(judge("a=1; Domain=.Example.COM", "https://www.example.com/")).cookie).toMatchObject({
        domain: "example.com",
        hostOnly: false,
      });
      expect(accepted(judge("a=1; Domain=www.example.com", "https://www.example.com/")).cookie.hostOnly).toBe(false);
    });

    it("rejects a public suffix as Domain", () => {
      expect(rejected(judge("a=1; Domain=com", "https://www.example.com/")).reason).toBe(
        "a browser rejects it: Domain=com is a public suffix, which no site may set cookies for",
      );
      expect(rejected(judge("a=1; Domain=github.io", "https://me.github.io/")).rule).toBe("domain");
    });

    it("lets an IP address name only itself, as a host-only cookie", () => {
      expect(accepted(judge("a=1; Domain=10.0.0.1", "http://10.0.0.1/")).cookie.hostOnly).toBe(true);
      expect(rejected(judge("a=1; Domain=0.0.1", "http://10.0.0.1/")).rule).toBe("domain");
    });

    it("takes an empty Domain as none", () => {
      expect(accepted(judge("a=1; Domain=")).cookie.hostOnly).toBe(true);
    });
  });

  describe("SameSite", () => {
    it("rejects SameSite=None without Secure", () => {
      expect(rejected(judge("a=1; SameSite=None"))).toMatchObject({
        rule: "same-site-none",
        reason: "a browser rejects it: SameSite=None needs Secure",
      });
    });

    it("accepts SameSite=None with Secure", () => {
      expect(accepted(judge("a=1; SameSite=none; Secure")).cookie.sameSite).toBe("none");
    });

    it("reads the last SameSite, and takes an unknown value as none given", () => {
      expect(judge("a=1; SameSite=Lax; SameSite=None").accepted).toBe(false);
      expect(accepted(judge("a=1; SameSite=None; SameSite=Bogus")).cookie.sameSite).toBeUndefined();
    });
  });

  describe("Path", () => {
    it("gives a cookie without Path the directory of the request (RFC 6265 §5.1.4)", () => {
      expect(accepted(judge("a=1", "http://localhost/account/settings")).cookie.path).toBe("/account");
      expect(accepted(judge("a=1", "http://localhost/logout")).cookie.path).toBe("/");
    });

    it("takes a Path that does not start with '/' as none", () => {
      expect(accepted(judge("a=1; Path=account", "http://localhost/x/y")).cookie.path).toBe("/x");
    });
  });

  describe("name prefixes", () => {
    it("accepts __Host- with Secure, Path=/ and no Domain", () => {
      expect(judge("__Host-id=1; Secure; Path=/").accepted).toBe(true);
    });

    it.each([
      ["__Secure- without Secure", "__Secure-id=1", "a name starting with __Secure- needs Secure"],
      ["__secure- in lower case", "__secure-id=1", "a name starting with __secure- needs Secure"],
      [
        "__Host- without a Path",
        "__Host-id=1; Secure",
        "a name starting with __Host- needs Secure, Path=/ and no Domain",
      ],
      [
        "__Host- with Domain=localhost",
        "__Host-id=1; Secure; Path=/; Domain=localhost",
        "a name starting with __Host- needs Secure, Path=/ and no Domain",
      ],
      ["__Http- without HttpOnly", "__Http-id=1; Secure", "a name starting with __Http- needs Secure and HttpOnly"],
      [
        "__Host-Http- without HttpOnly",
        "__Host-Http-id=1; Secure; Path=/",
        "a name starting with __Host-Http- needs Secure and HttpOnly",
      ],
      [
        "a nameless cookie that looks prefixed",
        "__Secure-id",
        "a nameless cookie's value may not start with __Secure-",
      ],
    ])("rejects %s", (_label, line, why) => {
      expect(rejected(judge(line))).toMatchObject({ rule: "prefix", reason: `a browser rejects it: ${why}` });
    });
  });

  describe("lifetime", () => {
    it("expires a Max-Age of zero, a negative one, or one with a plus sign", () => {
      for (const maxAge of ["0", "-1", "+0", "-99999999999999999999"]) {
        expect(accepted(judge(`a=; Max-Age=${maxAge}`)).expired, maxAge).toBe(true);
      }
    });

    it("ignores a Max-Age that is not an integer, and says so", () => {
      for (const maxAge of ["0.5", "abc", "0x0", "1e3"]) {
        const verdict = accepted(judge(`a=; Max-Age=${maxAge}`));
        expect(verdict.expired, maxAge).toBe(false);
        expect(verdict.ignored, maxAge).toEqual([
          { name: "Max-Age", value: maxAge, why: "is not a whole number of seconds" },
        ]);
      }
    });

    it("expires an Expires in the past, read as a cookie-date", () => {
      expect(accepted(judge("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).expired).toBe(true);
    });

    it("ignores an Expires that is not a cookie-date, even one Date.parse reads, and says so", () => {
      for (const expires of ["yesterday", "1970-01-01", "Thu, 01 Jan 1970 25:00:00 GMT"]) {
        const verdict = accepted(judge(`a=; Expires=${expires}`));
        expect(verdict.expired, expires).toBe(false);
        expect(verdict.ignored, expires).toEqual([
          { name: "Expires", value: expires, why: "is not a date a browser reads" },
        ]);
      }
    });

    it("lets Max-Age win over Expires, in either order", () => {
      expect(accepted(judge("a=; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).expired).toBe(false);
      expect(accepted(judge("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60")).cookie.expires).toEqual(
        new Date(NOW.getTime() + 60_000),
      );
    });

    it("falls back on Expires when Max-Age is ignored", () => {
      expect(accepted(judge("a=; Max-Age=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).expired).toBe(true);
    });

    it("reads only the last Max-Age and the last Expires, even when they do not parse (Chromium)", () => {
      expect(accepted(judge("a=; Max-Age=0; Max-Age=abc")).expired).toBe(false);
      expect(accepted(judge("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=garbage")).expired).toBe(false);
      expect(accepted(judge("a=1; Max-Age=0; Max-Age=60")).expired).toBe(false);
    });

    it("cuts a lifetime to 400 days (RFC 6265bis §5.6.1, §5.6.2)", () => {
      const limit = new Date(NOW.getTime() + 400 * DAY_S * 1000);
      expect(accepted(judge(`a=1; Max-Age=${500 * DAY_S}`)).cookie.expires).toEqual(limit);
      expect(accepted(judge("a=1; Max-Age=99999999999999999999")).cookie.expires).toEqual(limit);
      expect(accepted(judge("a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT")).cookie.expires).toEqual(limit);
    });

    it("keeps a session cookie without Expires or Max-Age", () => {
      expect(accepted(judge("a=")).cookie.expires).toBeUndefined();
    });
  });
});
