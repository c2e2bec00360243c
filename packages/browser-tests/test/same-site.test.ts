import type { RequestListener } from "node:http";
import { describe, expect, it } from "vitest";
import { watchCookieVerdicts } from "../src/cookie-verdicts.js";
import { useBrowser, useServer } from "../src/harness.js";
import { cookieSent } from "../src/serve.js";
import { solutionsWith } from "../src/solutions.js";

/**
 * site-a.test is another site than localhost (another registrable domain), so its page's requests to the app are
 * cross-site. --host-resolver-rules maps it to 127.0.0.1 (src/chromium.ts): both names are loopback, so Chromium's
 * private-network rules stay out of the way. localhost needed no special treatment: it is simply the other site.
 *
 * Chromium 156 also blocks third-party cookies by default (reason `UserPreferences`), so a cookie missing from a
 * cross-site subrequest proves nothing about SameSite by itself: those tests also ask Chromium why it left the
 * cookie out (src/cookie-verdicts.ts). An app that forgot SameSite, or chose None, fails them.
 */
const SITE_A = "site-a.test";

/** Chromium reports `SchemefulSameSiteLax` when it compares sites with their scheme (its default), else `SameSiteLax`. */
const LAX_REASON = /^(Schemeful)?SameSiteLax$/;
const BECAUSE_LAX =
  "Chromium should leave last_visit out because the cookie says SameSite=Lax (a cookie without SameSite is reported as UnspecifiedTreatedAsLax)";

function siteAPage(appUrl: (path: string) => string): RequestListener {
  return (_req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(`<!doctype html>
<title>Site A</title>
<img src="${appUrl("/?via=img")}" alt="">
<a href="${appUrl("/?via=link")}">the course's app</a>`);
  };
}

describe("SameSite=Lax, in a browser, with a page on another site", () => {
  const browser = useBrowser();

  for (const solution of solutionsWith("/"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);
      const siteA = useServer(() => siteAPage((path) => app.url(path)), SITE_A);

      /** Visits the app first, as a visitor would before meeting site A; returns the value the browser stored. */
      async function visitApp(): Promise<string> {
        await browser.page.goto(app.url("/"));
        const cookie = (await browser.context.cookies()).find(({ name }) => name === "last_visit");
        expect(cookie, "visiting / should have stored last_visit").toBeDefined();
        return cookie?.value ?? "";
      }

      it("is not sent when a page on site-a.test embeds the app in an <img>, and SameSite=Lax is why", async () => {
        const verdicts = await watchCookieVerdicts(browser.context, browser.page);
        await visitApp();
        // goto() waits for the load event, which waits for the <img> request to finish.
        await browser.page.goto(siteA.url("/"));

        const [image] = app.requestsTo("/?via=img");
        expect(image, "the <img> on site-a.test should have requested the app").toBeDefined();
        expect(image?.secFetchSite, "Chromium should count the <img> request as cross-site").toBe("cross-site");
        expect(cookieSent(image?.cookie, "last_visit")).toBeUndefined();
        await expect
          .poll(() => verdicts.blockedReasons(app.url("/?via=img"), "last_visit"), {
            message: BECAUSE_LAX,
            timeout: 30_000,
          })
          .toContainEqual(expect.stringMatching(LAX_REASON));
      });

      it("is not sent with a cross-site fetch (mode no-cors, credentials include) from site-a.test, and SameSite=Lax is why", async () => {
        const verdicts = await watchCookieVerdicts(browser.context, browser.page);
        await visitApp();
        await browser.page.goto(siteA.url("/"));
        const url = app.url("/?via=fetch");
        await browser.page.evaluate(async (href) => {
          await fetch(href, { mode: "no-cors", credentials: "include" });
        }, url);

        const [request] = app.requestsTo("/?via=fetch");
        expect(request?.secFetchSite, "Chromium should count the fetch as cross-site").toBe("cross-site");
        expect(cookieSent(request?.cookie, "last_visit")).toBeUndefined();
        await expect
          .poll(() => verdicts.blockedReasons(url, "last_visit"), { message: BECAUSE_LAX, timeout: 30_000 })
          .toContainEqual(expect.stringMatching(LAX_REASON));
      });

      it("is sent when a link on site-a.test takes the browser to the app (a top-level GET navigation)", async () => {
        const value = await visitApp();
        await browser.page.goto(siteA.url("/"));
        await browser.page.click("a");
        await browser.page.waitForURL(app.url("/?via=link"));

        const [navigation] = app.requestsTo("/?via=link");
        expect(navigation?.secFetchSite, "Chromium should count the navigation as cross-site").toBe("cross-site");
        expect(navigation?.secFetchDest).toBe("document");
        expect(cookieSent(navigation?.cookie, "last_visit")).toBe(value);
      });
    });
});
