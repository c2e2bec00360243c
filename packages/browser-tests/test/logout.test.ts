import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { cookieSent } from "../src/serve.js";
import { solutionsWith } from "../src/solutions.js";

describe("logging out, in a browser", () => {
  const browser = useBrowser();

  for (const solution of solutionsWith("/logout"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      const cookieNames = async () => (await browser.context.cookies()).map(({ name }) => name);

      it("removes last_visit from the browser's cookie jar, from the nav's log-out link", async () => {
        const { page } = browser;
        await page.goto(app.url("/"));
        expect(await cookieNames()).toContain("last_visit");

        await page.click('nav a[href="/logout"]');
        await page.waitForURL(app.url("/logout"));
        expect(await page.locator("main").innerText()).toContain("Successfully logged out");
        expect(await cookieNames()).not.toContain("last_visit");
      });

      it("then the last-visit page says 'No visit recorded yet', and the browser sent no last_visit", async () => {
        const { page } = browser;
        await page.goto(app.url("/"));
        await page.goto(app.url("/logout"));
        await page.click('nav a[href="/last-visit"]');
        await page.waitForURL(app.url("/last-visit"));

        expect(await page.locator("main").innerText()).toContain("No visit recorded yet");
        const [request] = app.requestsTo("/last-visit");
        expect(request, "the browser asked for /last-visit").toBeDefined();
        expect(cookieSent(request!.cookie, "last_visit")).toBeUndefined();
      });
    });
});
