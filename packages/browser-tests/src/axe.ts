import axe from "axe-core";
import type { Page } from "playwright-core";

/**
 * axe-core's violations on the page as it is now, one readable line each: rule, impact, the elements (CSS
 * selectors) and what to do. `[]` when there is none. The app's frame is left out: it is the learner's page, not
 * the workbook's (and axe would wait on a frame it was not injected into).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(() => window.axe.run(document, { iframes: false }));
  return results.violations.map(
    ({ id, impact, help, helpUrl, nodes }) =>
      `${id} (${impact ?? "no impact given"}): ${help}\n  on ${nodes.map(({ target }) => target.join(" ")).join(", ")}\n  ${helpUrl}`,
  );
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}
