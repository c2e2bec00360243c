import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DOCS_SCREENSHOTS_DIR, SCREENSHOTS, SCREENSHOTS_DIR, SKIPPED_FILE } from "./paths.js";

// `pnpm screenshots` runs test/screenshots.test.ts first, then this: the README shows what the suite just checked.
if (existsSync(SKIPPED_FILE)) {
  console.error(`screenshots: nothing to copy. ${readFileSync(SKIPPED_FILE, "utf8").trim()}`);
  process.exit(1);
}
const missing = SCREENSHOTS.filter((name) => !existsSync(join(SCREENSHOTS_DIR, name)));
if (missing.length > 0) {
  console.error(`screenshots: ${missing.join(", ")} not in ${SCREENSHOTS_DIR}; run the browser tests first.`);
  process.exit(1);
}
mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
for (const name of SCREENSHOTS) {
  const target = join(DOCS_SCREENSHOTS_DIR, name);
  copyFileSync(join(SCREENSHOTS_DIR, name), target);
  console.log(`screenshots: wrote ${relative(process.cwd(), target)}`);
}
