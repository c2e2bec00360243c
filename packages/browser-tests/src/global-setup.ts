import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { chromiumMissing } from "./chromium.js";
import { REPORTS_DIR, SKIPPED_FILE } from "./paths.js";

/**
 * Runs once per `vitest run`, before any test file. A missing browser skips the suite rather than failing it (a
 * learner's machine may have no Chromium), but never quietly: one warning here, and a file that says why, for
 * `pnpm verify` to report.
 */
export default function setup(): void {
  const missing = chromiumMissing();
  if (missing === undefined) {
    rmSync(SKIPPED_FILE, { force: true });
    return;
  }
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(SKIPPED_FILE, `${missing}\n`);
  console.warn(`\n⚠️  BROWSER TESTS SKIPPED\n   ${missing}\n`);
}
