import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { SOLUTIONS } from "../src/solutions.js";

/** The solutions that sign the visit cookie: from 04 on. */
const signing = SOLUTIONS.filter((solution) => Number(solution.name.slice(0, 2)) >= 4);

describe("the signed visit cookie, in a browser", () => {
  const browser = useBrowser();

  it("is tested on at least one solution", () => expect(signing.length).toBeGreaterThan(0));

  for (const solution of signing)
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);

      it("stores the visit signed, and a value changed in the browser's jar reads 'No visit recorded yet'", async () => {
        const { context, page } = browser;
        await page.goto(app.url("/"));
        const stored = (await context.cookies()).find(({ name }) => name === "last_visit");
        expect(decodeURIComponent(stored?.value ?? ""), "the cookie a visit stores").toMatch(
          /^s:\d{4}-\d{2}-\d{2}T[\d:.]+Z\.[\w+/-]+$/,
        );

        await page.goto(app.url("/last-visit"));
        expect(await page.locator("main").innerText()).not.toContain("No visit recorded yet");

        // What a visitor does in DevTools: a year later, same signature.
        const forged = stored!.value.replace(
          /^(s%3A)(\d{4})/,
          (_all, prefix: string, year: string) => `${prefix}${Number(year) + 1}`,
        );
        expect(forged).not.toBe(stored!.value);
        await context.addCookies([{ ...stored!, value: forged }]);
        await page.goto(app.url("/last-visit"));
        expect(await page.locator("main").innerText()).toContain("No visit recorded yet");
      });
    });
});
