import type { RequestListener } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listApps } from "@cookie-course/grader/workspace";

/**
 * What a step of the course offers a visitor: its pages, and how it logs out. "/logout" is a link that logs out;
 * "POST /logout" is a button, where a GET /logout changes nothing.
 */
export type PagePath = "/" | "/last-visit" | "/logout" | "/login" | "/profile" | "POST /logout";

/**
 * The exercise that adds each page the suite tests. Each solution carries the whole app up to its step, so it has
 * every page added up to its own number: a new exercise is tested on the pages it carries with no edit here.
 */
const PAGE_ADDED_IN: Readonly<Record<PagePath, string>> = {
  "/": "01",
  "/last-visit": "02",
  "/logout": "03",
  "/login": "05",
  "/profile": "05",
  "POST /logout": "06",
};

/** What a later exercise replaces: from 06 on, logging out is a button (a POST), and a link logs nobody out. */
const PAGE_REPLACED_IN: Readonly<Partial<Record<PagePath, string>>> = { "/logout": "06" };

export interface Solution {
  /** The folder under `solutions/`, which names the describe block. */
  readonly name: string;
  /** The pages this step of the course has, and how it logs out (see {@link PagePath}). */
  readonly pages: readonly PagePath[];
  readonly createApp: () => RequestListener;
}

/** Every solution, from the folders under solutions/ (the package depends on each, so that turbo links them). */
export const SOLUTIONS: readonly Solution[] = await Promise.all(
  listApps("solution").map(async ({ slug, number, dir }) => {
    const { createApp } = (await import(pathToFileURL(join(dir, "src", "app.ts")).href)) as {
      createApp: () => RequestListener;
    };
    const pages = (Object.keys(PAGE_ADDED_IN) as PagePath[]).filter(
      (page) => PAGE_ADDED_IN[page] <= number && number < (PAGE_REPLACED_IN[page] ?? "99"),
    );
    return { name: slug, pages, createApp };
  }),
);

/** The solutions that have `page`, so each behaviour is tested wherever it exists. */
export function solutionsWith(page: PagePath): Solution[] {
  return SOLUTIONS.filter((solution) => solution.pages.includes(page));
}
