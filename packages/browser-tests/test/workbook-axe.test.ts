import { describe, expect, it } from "vitest";
import { axeViolations } from "../src/axe.js";
import { useBrowser } from "../src/harness.js";
import { useWorkbook } from "../src/workbook-harness.js";

const EXERCISES = ["01-set-datetime-cookie", "02-read-last-visit", "03-logout"];

/** Every kind of page the workbook serves (an exercise's after its grade arrived: the grade panel at its fullest). */
const PAGES: readonly { about: string; path: string; status?: number; ready?: string }[] = [
  { about: "the start page", path: "/" },
  { about: "the lesson", path: "/lesson" },
  ...EXERCISES.map((slug) => ({
    about: `exercise ${slug.slice(0, 2)}'s page, graded`,
    path: `/exercises/${slug}`,
    ready: "#grade-body .score",
  })),
  { about: "a folder of the course", path: "/files/exercises/01-set-datetime-cookie/" },
  { about: "a source file", path: "/files/exercises/01-set-datetime-cookie/src/app.ts" },
  { about: "a Markdown file", path: "/files/exercises/01-set-datetime-cookie/README.md" },
  { about: "the solution's confirmation (instructor edition)", path: "/exercises/01-set-datetime-cookie/solution" },
  { about: "the cookie jar page", path: "/-/jar" },
  { about: "a page that does not exist", path: "/exercises/99-no-such-exercise", status: 404 },
];

describe("the workbook's pages have no axe-core violations", () => {
  // axe-core is injected as an inline script, which the workbook's CSP forbids (as it should any page's script).
  const browser = useBrowser({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  const workbook = useWorkbook(EXERCISES);

  for (const { about, path, status = 200, ready } of PAGES) {
    it(`${about} (${path})`, async () => {
      const { page } = browser;
      const response = await page.goto(workbook.url(path));
      expect(response?.status()).toBe(status);
      // A grade takes a few seconds to come on a loaded machine.
      if (ready) await page.locator(ready).waitFor({ timeout: 60_000 });
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  it("the solution's diff, after the confirmation", async () => {
    const { page } = browser;
    await page.goto(workbook.url("/exercises/01-set-datetime-cookie/solution"));
    await page.getByRole("button", { name: "Yes, show the solution" }).click();
    await page.locator("pre.diff").first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
