import type { RequestListener } from "node:http";
import { createApp as createApp01 } from "@cookie-course/solution-01-set-datetime-cookie/src/app.js";
import { createApp as createApp02 } from "@cookie-course/solution-02-read-last-visit/src/app.js";
import { createApp as createApp03 } from "@cookie-course/solution-03-logout/src/app.js";

export type PagePath = "/" | "/last-visit" | "/logout";

export interface Solution {
  /** The folder under `solutions/`, which names the describe block. */
  readonly name: string;
  /** The pages this step of the course has: each solution adds one. */
  readonly pages: readonly PagePath[];
  readonly createApp: () => RequestListener;
}

export const SOLUTIONS: readonly Solution[] = [
  { name: "01-set-datetime-cookie", pages: ["/"], createApp: createApp01 },
  { name: "02-read-last-visit", pages: ["/", "/last-visit"], createApp: createApp02 },
  { name: "03-logout", pages: ["/", "/last-visit", "/logout"], createApp: createApp03 },
];

/** The solutions that have `page`, so each behaviour is tested wherever it exists. */
export function solutionsWith(page: PagePath): Solution[] {
  return SOLUTIONS.filter((solution) => solution.pages.includes(page));
}
