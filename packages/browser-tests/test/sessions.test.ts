import type { RequestListener } from "node:http";
import type { Cookie } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { cookieSent } from "../src/serve.js";
import { solutionsWith } from "../src/solutions.js";

/** The session cookie's name in the solutions (exercise 05's SESSION_COOKIE_NAME). */
const SESSION_COOKIE = "sid";
/** Another site than localhost, mapped to 127.0.0.1 by --host-resolver-rules (src/chromium.ts). */
const SITE_A = "site-a.test";

/** A page on another site whose form posts to the app's /logout by itself, as a forged logout would. */
function forgedLogoutPage(appUrl: (path: string) => string): RequestListener {
  return (_req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(`<!doctype html>
<title>Site A</title>
<form method="post" action="${appUrl("/logout")}"></form>
<script>document.forms[0].submit();</script>`);
  };
}

describe("logging in with a server-side session, in a browser", () => {
  const browser = useBrowser();

  it("is tested on at least one solution", () => expect(solutionsWith("/profile").length).toBeGreaterThan(0));

  for (const solution of solutionsWith("/profile"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      it("stores no session cookie before the login", async () => {
        const { page, context } = browser;
        await page.goto(app.url("/"));
        await page.goto(app.url("/login"));
        await page.goto(app.url("/profile"));
        expect((await context.cookies()).map(({ name }) => name)).toEqual(["last_visit"]);
        expect(await page.locator("main").innerText()).toContain("You are not signed in");
      });

      it("logs in through the form: the profile shows the name as text, the cookie is HttpOnly and Lax", async () => {
        const { page, context } = browser;
        await page.goto(app.url("/login"));
        await page.fill('input[name="username"]', "Ada <b>Lovelace</b>");
        await page.click('main button[type="submit"]');
        await page.waitForURL(app.url("/profile"));

        expect(await page.locator("main").innerText()).toContain("Signed in as Ada <b>Lovelace</b>");
        expect(await page.locator("main b").count(), "the name's markup stays text").toBe(0);
        const session = (await context.cookies()).find(({ name }) => name === SESSION_COOKIE);
        expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", domain: "localhost" });
        expect(decodeURIComponent(session!.value)).not.toContain("Ada");
        expect(await page.evaluate(() => document.cookie), "page scripts cannot read the session id").not.toContain(
          SESSION_COOKIE,
        );
      });
    });
});

describe("logging out of a server-side session, in a browser", () => {
  const browser = useBrowser();

  it("is tested on at least one solution", () => expect(solutionsWith("POST /logout").length).toBeGreaterThan(0));

  for (const solution of solutionsWith("POST /logout"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);
      const siteA = useServer(() => forgedLogoutPage((path) => app.url(path)), SITE_A);

      /** Logs in through the form as `username`; returns the session cookie the browser stored. */
      async function logIn(username: string): Promise<Cookie> {
        const { page, context } = browser;
        await page.goto(app.url("/login"));
        await page.fill('input[name="username"]', username);
        await page.click('main button[type="submit"]');
        await page.waitForURL(app.url("/profile"));
        const session = (await context.cookies()).find(({ name }) => name === SESSION_COOKIE);
        expect(session, "logging in should store the session cookie").toBeDefined();
        return session!;
      }

      const profileText = async () => {
        await browser.page.goto(app.url("/profile"));
        return browser.page.locator("main").innerText();
      };

      it("logs out with the nav's button; the old cookie, put back by hand, signs nobody in", async () => {
        const { page, context } = browser;
        const copied = await logIn("ada");

        await page.click('nav form[action="/logout"] button');
        await page.waitForURL(app.url("/logout"));
        expect(await page.locator("main").innerText()).toContain("Successfully logged out");
        expect((await context.cookies()).map(({ name }) => name)).not.toContain(SESSION_COOKIE);
        const [logout] = app.requests.filter(({ method, url }) => method === "POST" && url === "/logout");
        expect(
          cookieSent(logout?.cookie, SESSION_COOKIE),
          "the button's POST carried the session cookie",
        ).toBeDefined();

        // Whoever copied the cookie sends it again: the session is gone from the server.
        await context.addCookies([copied]);
        expect(await profileText()).toContain("You are not signed in");
      });

      it("stays logged in after opening /logout by its address (a GET)", async () => {
        await logIn("ada");
        await browser.page.goto(app.url("/logout"));
        expect(await browser.page.locator("main").innerText()).not.toContain("Successfully logged out");
        expect(await profileText()).toContain("Signed in as ada");
      });

      it("keeps the session on the server when another site's form posts to /logout: SameSite=Lax leaves the cookie off", async () => {
        const { page, context } = browser;
        const copied = await logIn("ada");

        await page.goto(siteA.url("/"));
        await page.waitForURL(app.url("/logout"));
        const [forged] = app.requests.filter(({ method, url }) => method === "POST" && url === "/logout");
        expect(forged?.secFetchSite, "Chromium should count the forged POST as cross-site").toBe("cross-site");
        expect(
          cookieSent(forged?.cookie, SESSION_COOKIE),
          "the forged POST must arrive without the session cookie",
        ).toBeUndefined();

        // The answer's Set-Cookie deletions still apply (a top-level navigation may set cookies): the browser forgets.
        expect((await context.cookies()).map(({ name }) => name)).not.toContain(SESSION_COOKIE);
        // But without the cookie the server could not tell whose session to end: the session is still there.
        await context.addCookies([copied]);
        expect(await profileText()).toContain("Signed in as ada");
      });
    });
});
