import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { listApps } from "@cookie-course/grader/workspace";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { SCREENSHOTS_DIR } from "../src/paths.js";
import { SOLUTIONS, solutionsWith } from "../src/solutions.js";
import { useWorkbook } from "../src/workbook-harness.js";

// The pages print the moment of the visit: a fixed one keeps the committed screenshots from changing every run.
const VISIT = new Date("2026-11-20T09:15:30.000Z");
const NAV = ["/", "/last-visit", "/logout"];

describe("solution 03's pages, as the README shows them (reports/screenshots/)", () => {
  const browser = useBrowser({ viewport: { width: 800, height: 500 } });
  const app = useServer(SOLUTIONS.find(({ name }) => name === "03-logout")!.createApp);

  beforeAll(() => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });
  beforeEach(() => {
    // Only Date: the app reads the clock in this process; Playwright's and Node's timers must keep running.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(VISIT);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const heading = () => browser.page.locator("main h1").innerText();
  const navLinks = () =>
    browser.page.locator("nav a").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  const shoot = (name: string) => browser.page.screenshot({ path: join(SCREENSHOTS_DIR, name) });

  it("home: welcomes the visitor at the time of the visit, under the nav (home.png)", async () => {
    await browser.page.goto(app.url("/"));
    expect(await heading()).toBe("Welcome");
    expect(await navLinks()).toEqual(NAV);
    expect(await browser.page.locator("main time").getAttribute("datetime")).toBe(VISIT.toISOString());
    await shoot("home.png");
  });

  it("last visit: shows the visit just made (last-visit.png)", async () => {
    await browser.page.goto(app.url("/"));
    await browser.page.goto(app.url("/last-visit"));
    expect(await heading()).toBe("Last visit");
    expect(await navLinks()).toEqual(NAV);
    expect(await browser.page.locator("main time").getAttribute("datetime")).toBe(VISIT.toISOString());
    await shoot("last-visit.png");
  });

  it("logged out: says 'Successfully logged out' (logged-out.png)", async () => {
    await browser.page.goto(app.url("/"));
    await browser.page.goto(app.url("/logout"));
    expect(await heading()).toBe("Log out");
    expect(await navLinks()).toEqual(NAV);
    expect(await browser.page.locator("main").innerText()).toContain("Successfully logged out");
    await shoot("logged-out.png");
  });
});

describe("the last solution's login, as the README shows it (reports/screenshots/)", () => {
  const browser = useBrowser({ viewport: { width: 800, height: 500 } });
  const solution = solutionsWith("/profile").at(-1)!;
  const app = useServer(solution.createApp);

  beforeAll(() => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  const heading = () => browser.page.locator("main h1").innerText();
  const shoot = (name: string) => browser.page.screenshot({ path: join(SCREENSHOTS_DIR, name) });

  it(`login: ${solution.name}'s form asks for a username (login.png)`, async () => {
    await browser.page.goto(app.url("/login"));
    expect(await heading()).toBe("Log in");
    await browser.page.fill('input[name="username"]', "Ada");
    await shoot("login.png");
  });

  it(`profile: ${solution.name} says who is signed in, after the login's redirect (profile.png)`, async () => {
    const { page } = browser;
    await page.goto(app.url("/login"));
    await page.fill('input[name="username"]', "Ada");
    await page.click('main button[type="submit"]');
    await page.waitForURL(app.url("/profile"));
    expect(await heading()).toBe("Profile");
    expect(await page.locator("main").innerText()).toContain("Signed in as Ada");
    await shoot("profile.png");
  });
});

describe("the workbook, as the README shows it (reports/screenshots/)", () => {
  // Tall enough for the whole work column: the grade, the hints, the app and its cookie jar.
  const browser = useBrowser({ viewport: { width: 1400, height: 2300 } });
  // Every starter, as a learner who has just run `pnpm start` sees the course.
  const workbook = useWorkbook(listApps("exercise").map(({ slug }) => slug));

  beforeAll(() => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  it("exercise 02's page: its README, its live grade with the first failure, its hints, the app and its jar (workbook.png)", async () => {
    const { page } = browser;
    // 02's starter sets last_visit already (it is 01's solution): the jar has a cookie to show.
    await page.goto(workbook.url("/exercises/02-read-last-visit"));
    expect(await page.locator("#grade-body .score").innerText()).toMatch(/^✗ Not yet/);
    expect(await page.locator("#grade-body .failure h3").innerText()).toMatch(/^First to fix: /);
    // The app starts with the page: seconds on a loaded machine.
    await page
      .frameLocator('iframe[name="app"]')
      .locator("main h1")
      .filter({ hasText: "Welcome" })
      .waitFor({ timeout: 60_000 });
    await page
      .locator("#jar table.jar-cookies td", { hasText: "HttpOnly" })
      .or(page.locator("#jar table.jar-cookies tbody tr"))
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "workbook.png") });
  });
});
