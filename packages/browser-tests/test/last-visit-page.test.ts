import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { cookieSent } from "../src/serve.js";
import { solutionsWith } from "../src/solutions.js";

/**
 * The moment a stored last_visit holds: percent-decoded, and out of its signature when a later exercise signs it
 * (cookie-parser's `s:<value>.<signature>`).
 */
function visitInside(stored: string): string {
  const decoded = decodeURIComponent(stored);
  return /^s:(.*)\.[^.]+$/.exec(decoded)?.[1] ?? decoded;
}

describe("the last-visit page, in a browser", () => {
  const browser = useBrowser();

  for (const solution of solutionsWith("/last-visit"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      it("shows the stored time: <time datetime> equals the cookie's decoded value", async () => {
        const { context, page } = browser;
        await page.goto(app.url("/"));
        const cookie = (await context.cookies()).find(({ name }) => name === "last_visit");
        expect(cookie, "visiting / should have stored last_visit").toBeDefined();

        await page.goto(app.url("/last-visit"));
        const [request] = app.requestsTo("/last-visit");
        expect(cookieSent(request?.cookie, "last_visit"), "the browser should have sent the cookie it stored").toBe(
          cookie?.value,
        );
        // Express percent-encodes the value (":" is sent as "%3A"); the page shows the moment itself.
        expect(await page.locator("main time").getAttribute("datetime")).toBe(visitInside(cookie?.value ?? ""));
        expect(await page.locator("main").innerText()).not.toContain("No visit recorded yet");
      });

      it("says 'No visit recorded yet' to a browser that has no cookie", async () => {
        await browser.page.goto(app.url("/last-visit"));
        expect(await browser.page.locator("main").innerText()).toContain("No visit recorded yet");
        expect(await browser.page.locator("main time").count()).toBe(0);
      });
    });
});
