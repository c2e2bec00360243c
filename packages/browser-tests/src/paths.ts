import { fileURLToPath } from "node:url";

/** This package's `reports/`: git ignores it, so turbo can cache what the suite writes there. */
export const REPORTS_DIR = fileURLToPath(new URL("../reports/", import.meta.url));

/** Present only when the last run skipped the browser suite; it says why (course verify reads it). */
export const SKIPPED_FILE = fileURLToPath(new URL("../reports/browser-skipped.txt", import.meta.url));

export const SCREENSHOTS_DIR = fileURLToPath(new URL("../reports/screenshots/", import.meta.url));

/** Where the README's screenshots are committed. */
export const DOCS_SCREENSHOTS_DIR = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));

/**
 * What test/screenshots.test.ts captures: the pages of solution 03, in the order a visitor sees them, then the
 * last solution's login form and profile, then the workbook (`pnpm start`) on exercise 02.
 */
export const SCREENSHOTS = [
  "home.png",
  "last-visit.png",
  "logged-out.png",
  "login.png",
  "profile.png",
  "workbook.png",
] as const;
