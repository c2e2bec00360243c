import { listApps } from "../src/workspace.js";

/**
 * The course's exercises in order, from the folders under solutions/: the tests that grade the course's own apps
 * take a new exercise in without an edit.
 */
export const SLUGS: readonly string[] = listApps("solution").map((app) => app.slug);

/** The first exercise, the one the broken fixtures of most tests belong to. */
export const FIRST = SLUGS[0]!;

/** How many there are: the scoreboard counts them ("N/N exercises passed"). */
export const COUNT = SLUGS.length;
