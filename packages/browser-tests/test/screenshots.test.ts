import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { SCREENSHOTS_DIR } from "../src/paths.js";
import { SOLUTIONS } from "../src/solutions.js";

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
  const navLinks = () => browser.page.locator("nav a").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
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
