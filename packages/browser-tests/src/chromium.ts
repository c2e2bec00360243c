import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * The browser these tests drive: `CHROMIUM_PATH`, or Debian's `chromium` package. playwright-core ships no browser
 * and never downloads one, so the suite uses whatever Chromium the machine has (`apt-get install -y chromium`).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * `--no-sandbox`: Chromium refuses to start its sandbox as root (containers, CI).
 * The next four keep it from calling home: the network here is closed, and a test should not wait on it.
 * `--host-resolver-rules`: more site names on this machine: site-a.test for the cross-site (SameSite) tests,
 * www.course.test for the jar's Domain and Secure cases (src/set-cookie-cases.ts).
 */
export const LAUNCH_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--host-resolver-rules=MAP site-a.test 127.0.0.1, MAP www.course.test 127.0.0.1",
];

/** Why the browser suite cannot run here, or `undefined` when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return (
    `Chromium not found at ${CHROMIUM_PATH}, so the browser tests were skipped. ` +
    "Install it with `apt-get install -y chromium` (Debian, Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable."
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...LAUNCH_ARGS] });
}
