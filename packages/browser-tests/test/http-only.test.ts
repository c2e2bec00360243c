import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { solutionsWith } from "../src/solutions.js";

const YEAR_S = 365 * 24 * 60 * 60;

describe("the last_visit cookie, as Chromium keeps it after a visit to /", () => {
  const browser = useBrowser();

  for (const solution of solutionsWith("/"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      it("is in the browser's cookie jar, HttpOnly and SameSite=Lax, for the whole site", async () => {
        await browser.page.goto(app.url("/"));
        const cookies = (await browser.context.cookies()).filter((cookie) => cookie.name === "last_visit");
        expect(cookies).toEqual([
          expect.objectContaining({ domain: "localhost", path: "/", httpOnly: true, sameSite: "Lax", secure: false }),
        ]);
      });

      it("is hidden from the page's scripts: document.cookie does not contain it", async () => {
        await browser.page.goto(app.url("/"));
        // It was set: so its absence below means hidden, not missing.
        expect((await browser.context.cookies()).map((cookie) => cookie.name)).toContain("last_visit");
        expect(await browser.page.evaluate(() => document.cookie)).not.toContain("last_visit");
      });

      it("outlives the browser session: it expires a year (365 days) after the visit", async () => {
        const visitedAt = Date.now() / 1000;
        await browser.page.goto(app.url("/"));
        const cookie = (await browser.context.cookies()).find(({ name }) => name === "last_visit");
        // Playwright reports a session cookie as expires: -1.
        expect(cookie?.expires).toBeGreaterThan(visitedAt + YEAR_S - 60);
        expect(cookie?.expires).toBeLessThan(visitedAt + YEAR_S + 60);
      });
    });
});
