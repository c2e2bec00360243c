import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { cookieSent } from "../src/serve.js";
import { solutionsWith } from "../src/solutions.js";

const HOSTILE_VALUES = [
  `<img src=x onerror="window.__xss=1">`,
  // Date.parse accepts this one: "it parses as a date" does not make a value safe to put in a page.
  "Fri May 16 2031 08:09:10 GMT+0000 (<img src=x onerror=window.__xss=1>)",
  // cookie-parser percent-decodes values, so this arrives in req.cookies as the same tag.
  encodeURIComponent(`<img src=x onerror="window.__xss=1">`),
];

describe("a last_visit cookie that carries markup, in a browser", () => {
  const browser = useBrowser();

  for (const solution of solutionsWith("/last-visit"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      it.each(HOSTILE_VALUES)("does not run on the last-visit page: %s", async (value) => {
        const { context, page } = browser;
        // Anyone can set any cookie on their own browser, or a sibling subdomain can plant one (RFC 6265 §8.6).
        await context.addCookies([{ name: "last_visit", value, url: app.url("/") }]);
        await page.goto(app.url("/last-visit"));

        const [request] = app.requestsTo("/last-visit");
        expect(cookieSent(request?.cookie, "last_visit"), "the browser should have sent the planted value").toBe(value);
        // goto() waits for the load event, which waits for every <img> to load or fail: an onerror has run by now.
        expect(
          await page.evaluate(() => Reflect.get(window, "__xss")),
          "the cookie's onerror ran: markup was put in the page unescaped",
        ).toBeUndefined();
        expect(await page.locator("img").count(), "the cookie's <img> is in the DOM").toBe(0);
      });
    });
});
