import { describe, expect, it } from "vitest";
import { BEFORE_RECORDING, CHANGED_BY_HAND, CookieRecorder, type ObservedExchange } from "../src/proxy/index.js";

const T0 = new Date("2031-05-17T08:00:00.000Z");

/** A recorder on a clock the test moves, and a way to record an exchange at the clock's time. */
function recorderAt(start = T0) {
  let now = start;
  const recorder = new CookieRecorder({ clock: () => now });
  const record = (exchange: Partial<ObservedExchange> & { path: string }) =>
    recorder.record({ method: "GET", status: 200, cookieHeader: undefined, setCookie: [], at: now, ...exchange });
  const tick = (ms = 1000) => {
    now = new Date(now.getTime() + ms);
  };
  return { recorder, record, tick };
}

describe("CookieRecorder", () => {
  describe(".record(exchange)", () => {
    it("decodes each Set-Cookie line attribute by attribute, with the raw value beside the decoded one", () => {
      const { record } = recorderAt();
      const [line] = record({
        path: "/login?next=%2F",
        setCookie: [
          "user=ada%20lovelace; Max-Age=3600; Path=/; Domain=localhost; Secure; HttpOnly; SameSite=Strict; Partitioned; Priority=High",
        ],
      }).setCookies;

      expect(line).toMatchObject({
        name: "user",
        value: "ada lovelace",
        rawValue: "ada%20lovelace",
        lifetime: "60 min, until 2031-05-17T09:00:00.000Z",
      });
      expect(line?.attributes.map(({ name, known, meaning }) => [name, known, meaning])).toStrictEqual([
        ["Max-Age", true, "3600 seconds (60 min)"],
        ["Path", true, "sent to every path of the site"],
        ["Domain", true, "localhost has no parent domain to share with: the cookie stays host-only"],
        ["Secure", true, "sent only over HTTPS (browsers count http://localhost as secure)"],
        ["HttpOnly", true, "hidden from page scripts: document.cookie does not show it"],
        ["SameSite", true, "sent only with requests from this same site, never when arriving from another site"],
        ["Partitioned", true, "kept apart for each top-level site (CHIPS); browsers want Secure with it"],
        ["Priority", false, "not an attribute browsers know: ignored"],
      ]);
    });

    it("leaves out the raw value when decoding changes nothing", () => {
      const { record } = recorderAt();
      expect(record({ path: "/", setCookie: ["a=plain"] }).setCookies[0]?.rawValue).toBeUndefined();
    });

    it("says which attributes the browser skips, and which a later one overrides", () => {
      const { record } = recorderAt();
      const [line] = record({
        path: "/a/b",
        setCookie: ["a=1; Path=/x; Path=nope; Expires=soon; SameSite=Sometimes"],
      }).setCookies;

      expect(line?.attributes.map(({ meaning }) => meaning)).toStrictEqual([
        "overridden: a later Path on the same line counts",
        "does not start with /: the browser uses the request's default path (/a)",
        "ignored: Expires=soon is not a date a browser reads",
        "not Strict, Lax or None: the browser treats the cookie as Lax",
      ]);
      expect(line?.lifetime).toBe("a session cookie: kept until the browser closes");
    });

    it("reads Max-Age over Expires, as browsers do", () => {
      const { record } = recorderAt();
      const [line] = record({
        path: "/",
        setCookie: ["a=1; Expires=Thu, 01 Jan 2032 00:00:00 GMT; Max-Age=60"],
      }).setCookies;
      expect(line?.attributes[0]?.meaning).toBe("overridden: Max-Age counts when both are sent");
      expect(line?.lifetime).toBe("60 s, until 2031-05-17T08:01:00.000Z");
    });

    it("says a line was stored, and that a second one replaced it", () => {
      const { record } = recorderAt();
      expect(record({ path: "/", setCookie: ["a=1"] }).setCookies[0]?.outcome).toMatchObject({
        kind: "stored",
        replaced: false,
      });
      expect(record({ path: "/", setCookie: ["a=2"] }).setCookies[0]?.outcome).toMatchObject({
        kind: "stored",
        replaced: true,
      });
    });

    it("says an empty value meant as a deletion does not delete, in the grader's words", () => {
      const { record } = recorderAt();
      record({ path: "/", setCookie: ["sid=abc; Path=/"] });
      const [line] = record({ path: "/logout", setCookie: ["sid=; Path=/"] }).setCookies;

      expect(line?.outcome).toMatchObject({ kind: "stored", replaced: true });
      expect(line?.notes).toStrictEqual([
        "If this was meant to delete sid, it does not: it has no Expires or Max-Age, so it only replaces the value: an empty value is still a cookie.",
      ]);
    });

    it("says a deletion with an Expires the browser cannot read does not delete", () => {
      const { record } = recorderAt();
      record({ path: "/", setCookie: ["sid=abc; Path=/"] });
      const [line] = record({ path: "/logout", setCookie: ["sid=x; Path=/; Expires=yesterday"] }).setCookies;
      expect(line?.notes).toStrictEqual([
        "If this was meant to delete sid, it does not: Expires=yesterday is not a date a browser reads, so it ignores it and keeps the cookie.",
      ]);
    });

    it("says when the browser now holds two cookies of one name, on two paths", () => {
      const { record } = recorderAt();
      record({ path: "/", setCookie: ["a=1; Path=/"] });
      const [line] = record({ path: "/admin/x", setCookie: ["a=2"] }).setCookies;
      expect(line?.notes).toStrictEqual([
        "The browser now holds 2 cookies named a (Path=/admin, Path=/); a request to a path under all of them carries them all, the longest Path first.",
      ]);
    });

    it("says a deletion for a name the browser does not hold deletes nothing", () => {
      const { record } = recorderAt();
      expect(record({ path: "/", setCookie: ["gone=; Max-Age=0"] }).setCookies[0]?.outcome).toStrictEqual({
        kind: "nothing-to-delete",
        reason: "the browser had no cookie named gone that the workbook knows of",
      });
    });

    it("keeps the last 50 exchanges, newest first, unless told another limit", () => {
      const recorder = new CookieRecorder({ limit: 3 });
      for (const n of [1, 2, 3, 4])
        recorder.record({
          method: "GET",
          path: `/${n}`,
          status: 200,
          cookieHeader: undefined,
          setCookie: [],
          at: new Date(),
        });
      expect(recorder.exchanges().map((exchange) => [exchange.id, exchange.path])).toStrictEqual([
        [4, "/4"],
        [3, "/3"],
        [2, "/2"],
      ]);

      const fifty = new CookieRecorder();
      for (let n = 0; n < 60; n++)
        fifty.record({ method: "GET", path: "/", status: 200, cookieHeader: undefined, setCookie: [], at: new Date() });
      expect(fifty.exchanges()).toHaveLength(50);
    });
  });

  describe("the Cookie header the browser sent", () => {
    it("shows a cookie the browser sent that the workbook never saw set, in the jar too", () => {
      const { recorder, record } = recorderAt();
      const exchange = record({ path: "/", cookieHeader: "old=1%3D1; known=1" });

      expect(exchange.sent).toStrictEqual([
        { name: "old", value: "1=1", rawValue: "1%3D1", unexpected: BEFORE_RECORDING },
        { name: "known", value: "1", rawValue: undefined, unexpected: BEFORE_RECORDING },
      ]);
      expect(recorder.jar()).toStrictEqual([
        { source: "before-recording", name: "old", value: "1%3D1", decodedValue: "1=1", seenOn: "/" },
        { source: "before-recording", name: "known", value: "1", decodedValue: "1", seenOn: "/" },
      ]);
    });

    it("takes a cookie seen set out of the before-recording list", () => {
      const { recorder, record, tick } = recorderAt();
      record({ path: "/", cookieHeader: "old=1" });
      tick();
      record({ path: "/", cookieHeader: "old=1", setCookie: ["old=2"] });
      expect(recorder.jar()).toMatchObject([{ source: "set-cookie", name: "old", value: "2" }]);
    });

    it("drops a before-recording cookie once a request to the same path no longer carries it", () => {
      const { recorder, record } = recorderAt();
      record({ path: "/", cookieHeader: "old=1; other=2" });
      record({ path: "/", cookieHeader: "other=2" });
      expect(recorder.jar().map((cookie) => cookie.name)).toStrictEqual(["other"]);
    });

    it("accepts the cookies it expects without a word", () => {
      const { record, tick } = recorderAt();
      record({ path: "/", setCookie: ["a=1", "b=2; Path=/b"] });
      tick();
      const exchange = record({ path: "/b/c", cookieHeader: "b=2; a=1" });
      expect(exchange.sent.map((cookie) => cookie.unexpected)).toStrictEqual([undefined, undefined]);
      expect(exchange.notes).toStrictEqual([]);
    });

    it("takes a value changed by hand as the browser's, says so once, and still judges its deletion as deleting (exercise 04)", () => {
      const { recorder, record, tick } = recorderAt();
      record({ path: "/", setCookie: ["last_visit=s%3A2031.abc; Path=/; HttpOnly; Max-Age=31536000"] });
      tick();
      const tampered = record({ path: "/last-visit", cookieHeader: "last_visit=s%3A2031.forged" });
      expect(tampered.sent.map((cookie) => cookie.unexpected)).toStrictEqual([CHANGED_BY_HAND]);
      expect(tampered.notes).toStrictEqual([]);
      expect(recorder.jar()).toMatchObject([
        { source: "set-cookie", name: "last_visit", value: "s%3A2031.forged", path: "/", httpOnly: true },
      ]);

      tick();
      const again = record({ path: "/last-visit", cookieHeader: "last_visit=s%3A2031.forged" });
      expect(again.sent[0]?.unexpected).toBeUndefined();
      expect(again.notes).toStrictEqual([]);

      tick();
      const logout = record({
        path: "/logout",
        method: "POST",
        cookieHeader: "last_visit=s%3A2031.forged",
        setCookie: ["last_visit=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"],
      });
      expect(logout.notes).toStrictEqual([]);
      expect(logout.setCookies[0]?.outcome.kind).toBe("deleted");
      expect(recorder.jar()).toStrictEqual([]);
    });

    it("drops a cookie the browser no longer sends from the jar, and says so", () => {
      const { recorder, record, tick } = recorderAt();
      record({ path: "/", setCookie: ["a=1", "__Host-b=2; Path=/; Secure; HttpOnly"] });
      tick();
      const exchange = record({ path: "/", cookieHeader: "a=1" });

      expect(exchange.notes).toStrictEqual([
        "The browser did not send __Host-b, which the workbook saw set: it no longer has it (it ended with the browser, as a cookie without Expires or Max-Age does; this is another browser; or it was cleared in the browser's tools or by a page script), so the workbook's jar drops it too.",
      ]);
      expect(recorder.jar().map((cookie) => cookie.name)).toStrictEqual(["a"]);
    });

    it("keeps the jar when the browser sent no Cookie header at all (a request without credentials)", () => {
      const { recorder, record, tick } = recorderAt();
      record({ path: "/", setCookie: ["a=1"] });
      tick();
      const exchange = record({ path: "/api", cookieHeader: undefined });
      expect(exchange.notes).toStrictEqual([
        "The browser sent no Cookie header, though the workbook expected a: a request without cookies, or they were cleared.",
      ]);
      expect(recorder.jar().map((cookie) => cookie.name)).toStrictEqual(["a"]);
    });

    it("does not judge a request that left before a response changed the jar (requests run side by side)", () => {
      const { recorder, record, tick } = recorderAt();
      const sentEarlier = new Date(T0.getTime());
      tick();
      record({ path: "/login", method: "POST", setCookie: ["sid=1; Path=/"] });
      tick();
      // The stylesheet was requested before the login answered, without sid; its answer arrives after.
      const exchange = record({ path: "/style.css", cookieHeader: "theme=dark", at: sentEarlier });
      expect(exchange.notes).toStrictEqual([]);
      expect(
        recorder
          .jar()
          .map((cookie) => cookie.name)
          .sort(),
      ).toStrictEqual(["sid", "theme"]);
    });
  });

  describe(".clear() and .onChange(listener)", () => {
    it("calls each listener after every change until it stops listening", () => {
      const { recorder, record } = recorderAt();
      const calls: string[] = [];
      const stop = recorder.onChange(() => calls.push(`${recorder.exchanges().length}`));

      record({ path: "/", setCookie: ["a=1"] });
      recorder.clear();
      stop();
      record({ path: "/" });

      expect(calls).toStrictEqual(["1", "0"]);
    });

    it("forgets the exchanges and the jar", () => {
      const { recorder, record } = recorderAt();
      record({ path: "/", setCookie: ["a=1"], cookieHeader: "b=2" });
      recorder.clear();
      expect(recorder.exchanges()).toStrictEqual([]);
      expect(recorder.jar()).toStrictEqual([]);
    });
  });
});
