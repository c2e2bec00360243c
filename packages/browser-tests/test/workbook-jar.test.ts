import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../src/harness.js";
import { useWorkbook } from "../src/workbook-harness.js";

/** An app start, or a restart after a save, on a loaded machine (2 cores, shared). */
const SLOW_MS = 120_000;

const EXERCISE_03 = "03-logout";

// A workbook of its own, whose first page is 03's: the app in the frame is the first the workbook starts.
describe("the workbook's cookie jar panel, in a browser", () => {
  const browser = useBrowser({ viewport: { width: 1400, height: 1000 } });
  const workbook = useWorkbook([EXERCISE_03]);

  it("shows last_visit in the jar panel, marked HttpOnly, once the app in the page sets it; and no more after logging out", async () => {
    const { page, context } = browser;
    // 03 fixed (its log-out page deletes the cookie), before its page starts the app.
    workbook.course.writeSolutionFile(EXERCISE_03, "app.ts");
    await page.goto(workbook.url(`/exercises/${EXERCISE_03}`));
    const app = page.frameLocator('iframe[name="app"]');
    await app.locator("main h1").filter({ hasText: "Welcome" }).waitFor({ timeout: SLOW_MS });
    expect(
      (await context.cookies()).map(({ name }) => name),
      "the browser holds the app's cookie",
    ).toContain("last_visit");
    await expect.poll(() => jarRow(page, "last_visit"), { timeout: SLOW_MS }).toEqual({ httpOnly: true });

    await app.locator('nav a[href="/logout"]').click();
    await app.getByText("Successfully logged out").waitFor({ timeout: SLOW_MS });
    expect(
      (await context.cookies()).map(({ name }) => name),
      "the browser deleted the cookie",
    ).not.toContain("last_visit");
    await expect.poll(() => jarRow(page, "last_visit"), { timeout: SLOW_MS }).toBeUndefined();
    expect(page.url(), "the workbook's page stayed (the app moved in its frame)").toBe(
      workbook.url(`/exercises/${EXERCISE_03}`),
    );
  });

  it("deletes the browser's cookies for localhost, HttpOnly ones included, with one button; and a reload keeps the frame's page", async () => {
    const { page, context } = browser;
    await page.goto(workbook.url(`/exercises/${EXERCISE_03}`));
    const app = page.frameLocator('iframe[name="app"]');
    await page.locator("#app-path").fill("/");
    await page.locator("#app-path").press("Enter");
    await app.locator("main h1").filter({ hasText: "Welcome" }).waitFor({ timeout: SLOW_MS });
    await expect
      .poll(async () => (await context.cookies()).map(({ name }) => name), { timeout: SLOW_MS })
      .toContain("last_visit");
    await page.getByRole("button", { name: "Delete these cookies from the browser" }).click();
    await app.getByRole("heading", { name: "Cookies deleted" }).waitFor({ timeout: SLOW_MS });
    expect(
      (await context.cookies()).map(({ name }) => name),
      "the HttpOnly cookie is gone from the browser",
    ).not.toContain("last_visit");
    await expect.poll(() => jarRow(page, "last_visit"), { timeout: SLOW_MS }).toBeUndefined();

    await page.locator("#app-path").fill("/last-visit");
    await page.locator("#app-path").press("Enter");
    await app.getByText("No visit recorded yet").waitFor({ timeout: SLOW_MS });
    await page.reload();
    await app.getByText("No visit recorded yet").waitFor({ timeout: SLOW_MS });
    expect(
      (await context.cookies()).map(({ name }) => name),
      "the reload did not visit the app's home",
    ).not.toContain("last_visit");
  });
});

/**
 * The row for cookie `name` in the jar panel's table of the cookies held now (not the tables that decode each
 * request's Set-Cookie lines), read by its "HttpOnly" column. `undefined` when no row names the cookie.
 */
function jarRow(page: Page, name: string): Promise<{ httpOnly: boolean } | undefined> {
  return page.evaluate((cookie) => {
    for (const table of document.querySelectorAll("#jar table.jar-cookies")) {
      const headers = [...table.querySelectorAll("thead th, tr:first-child th")].map(
        (th) => th.textContent?.trim() ?? "",
      );
      const column = headers.findIndex((header) => /^HttpOnly$/i.test(header));
      for (const row of table.querySelectorAll("tbody tr")) {
        const cells = [...row.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? "");
        if (!cells.some((cell) => cell === cookie || cell.startsWith(`${cookie}=`) || cell.startsWith(`${cookie} `)))
          continue;
        const marked = /^yes/i.test(cells[column] ?? "");
        return { httpOnly: marked };
      }
    }
    return undefined;
  }, name);
}
