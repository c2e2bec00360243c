import { describe, expect, it } from "vitest";
import { useBrowser } from "../src/harness.js";
import { useWorkbook } from "../src/workbook-harness.js";

/** A grade, an app start or a restart after a save, on a loaded machine (2 cores, shared). */
const SLOW_MS = 120_000;

const EXERCISE_01 = "01-set-datetime-cookie";
const EXERCISE_02 = "02-read-last-visit";
const EXERCISE_03 = "03-logout";

describe("the workbook (pnpm start), in a browser", () => {
  const browser = useBrowser({ viewport: { width: 1400, height: 1000 } });
  const workbook = useWorkbook([EXERCISE_01, EXERCISE_02, EXERCISE_03]);

  describe("with the keyboard alone", () => {
    it("offers the skip link as the first Tab stop, and it moves focus to the page's content", async () => {
      const { page } = browser;
      await page.goto(workbook.url("/"));
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the content");

      await page.keyboard.press("Enter");
      await page.waitForURL(workbook.url("/#main"));
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    });

    it("moves from one exercise to another through the course nav", async () => {
      const { page } = browser;
      await page.goto(workbook.url(`/exercises/${EXERCISE_01}`));
      const target = `/exercises/${EXERCISE_02}`;
      // Tab through the page's first stops (skip link, brand, lesson, exercises) until the link to 02 has focus.
      for (let stop = 0; stop < 10; stop++) {
        await page.keyboard.press("Tab");
        if ((await page.evaluate(() => document.activeElement?.getAttribute("href"))) === target) break;
      }
      const focused = await page.evaluate(() => ({
        href: document.activeElement?.getAttribute("href"),
        inNav: document.activeElement?.closest("#course-nav") !== null,
      }));
      expect(focused, "the link to 02 in the course nav has focus within ten Tab presses").toEqual({
        href: target,
        inNav: true,
      });

      await page.keyboard.press("Enter");
      await page.waitForURL(workbook.url(target));
      expect(await page.locator("main h1").first().innerText()).toMatch(/^02\b/);
      expect(await page.locator("#grade").getAttribute("data-exercise")).toBe(EXERCISE_02);
      expect(await page.locator('#course-nav a[aria-current="page"]').getAttribute("href")).toBe(target);
    });
  });

  it("turns exercise 01's checks ✓ when its file is saved fixed, without reloading the page", async () => {
    const { page } = browser;
    await page.goto(workbook.url(`/exercises/${EXERCISE_01}`));
    expect(
      await page.locator("#grade-body li.check-failed").count(),
      "the starter fails some of 01's checks",
    ).toBeGreaterThan(0);
    await page.evaluate(() => ((window as unknown as { sameDocument: number }).sameDocument = 1));

    workbook.course.writeSolutionFile(EXERCISE_01, "app.ts");

    await page.locator("#grade-body .score.status-passed").waitFor({ timeout: SLOW_MS });
    const checks = page.locator("#grade-body li");
    expect(await checks.count()).toBeGreaterThan(0);
    expect(await page.locator("#grade-body li:not(.check-passed)").allInnerTexts(), "checks not ✓").toEqual([]);
    for (const check of await checks.allInnerTexts()) expect(check).toMatch(/^✓ /);
    expect(await page.locator("#hints-body").innerText()).toContain("This exercise passes");
    expect(await page.locator(`#course-nav a[href="/exercises/${EXERCISE_01}"]`).innerText()).toContain("(done)");
    expect(
      await page.evaluate(() => (window as unknown as { sameDocument?: number }).sameDocument),
      "the same document: no reload",
    ).toBe(1);

    // The app restarted with the saved code once its grade was out: the page offers to show it, and it sets the cookie.
    await page.getByRole("button", { name: "Reload the frame, to see the new code" }).click({ timeout: SLOW_MS });
    await page
      .frameLocator('iframe[name="app"]')
      .locator("main h1")
      .filter({ hasText: "Welcome" })
      .waitFor({ timeout: SLOW_MS });
    await expect
      .poll(async () => (await browser.context.cookies()).map(({ name }) => name), { timeout: SLOW_MS })
      .toContain("last_visit");
  });

  it("shows each exercise's own app in its frame, also right after another exercise's page", async () => {
    const { page } = browser;
    await page.goto(workbook.url(`/exercises/${EXERCISE_02}`));
    await page.frameLocator('iframe[name="app"]').locator('nav a[href="/last-visit"]').waitFor({ timeout: SLOW_MS });
    // 03's app has a log-out link that 02's has not: the frame shows 03's app, not 02's, nor an error.
    await page.goto(workbook.url(`/exercises/${EXERCISE_03}`));
    await page.frameLocator('iframe[name="app"]').locator('nav a[href="/logout"]').waitFor({ timeout: SLOW_MS });
  });

  it("shows a grade that came while the page was still loading (before it listened), without a reload", async () => {
    const { page } = browser;
    const path = `/exercises/${EXERCISE_02}`;
    // The page's event stream is held back until the server has graded the save: a slow network, or a busy browser.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/-/events", async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(workbook.url(path));
    expect(await page.locator("#grade-body .score").innerText()).toMatch(/^✗ Not yet/);

    workbook.course.writeSolutionFile(EXERCISE_02, "app.ts");
    await expect
      .poll(async () => (await (await fetch(workbook.url(path))).text()).includes("status-passed"), {
        timeout: SLOW_MS,
      })
      .toBe(true);
    release();

    await page.locator("#grade-body .score.status-passed").waitFor({ timeout: SLOW_MS });
  });

  it("reads without script: the README, the grade and the hints, whose button shows the next hint", async () => {
    const context = await browser.context.browser()!.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      // 03: the one exercise no test here fixes, so it has a failed check, and hints for it.
      const path = workbook.url(`/exercises/${EXERCISE_03}`);
      await page.goto(path);
      expect(await page.locator("article.readme h1").innerText()).toMatch(/^03\b/);
      expect(await page.locator("#grade-body li.check-failed").count()).toBeGreaterThan(0);
      expect(await page.locator("#grade-body li").first().innerText()).toMatch(/^[✓✗↓] /);

      const button = page.locator("#hints button", { hasText: /^Show hint 1 of \d+$/ });
      await button.click();
      await page.waitForURL(`${path}#hints`);
      expect(await page.locator("#hints ol.hints li").count()).toBe(1);
      expect(await page.locator("#hints-body").innerText()).toMatch(/1 of \d+ shown/);
    } finally {
      await context.close();
    }
  });
});
