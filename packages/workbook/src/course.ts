import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readProgress } from "@cookie-course/grader/progress";
import type { ExerciseResult } from "@cookie-course/grader/report";
import { listApps, type CourseApp } from "@cookie-course/grader/workspace";

/** Where an exercise stands for the learner: the same three words as `pnpm test`'s scoreboard. */
export type ExerciseStanding = "done" | "current" | "next" | "later";

export interface Exercise {
  readonly app: CourseApp;
  /** From its README's first heading, less the number: "Set a cookie with the date-time of each visit". */
  readonly title: string;
  /** The finished app, in the instructor edition only (the learner edition has no solutions/). */
  readonly solutionDir: string | undefined;
}

/** The course as the workbook shows it: found from the folders, like every other list of exercises. */
export interface Course {
  readonly root: string;
  readonly exercises: readonly Exercise[];
}

export function readCourse(root: string): Course {
  const solutions = new Map(listApps("solution", root).map((app) => [app.slug, app.dir]));
  const exercises = listApps("exercise", root).map((app) => ({
    app,
    title: readmeTitle(app),
    solutionDir: solutions.get(app.slug),
  }));
  return { root, exercises };
}

export function findExercise(course: Course, slugOrNumber: string): Exercise | undefined {
  return course.exercises.find(({ app }) => app.slug === slugOrNumber || app.number === slugOrNumber);
}

/**
 * Each exercise's standing: done once it has passed (now, or ever: `.course/progress.json` remembers), current for
 * the first that is not done, next for the one after it, later for the rest.
 */
export function standings(course: Course, latest: ReadonlyMap<string, ExerciseResult>): Map<string, ExerciseStanding> {
  const progress = readProgress(course.root);
  const result = new Map<string, ExerciseStanding>();
  let notDone = 0;
  for (const { app } of course.exercises) {
    const done = latest.get(app.slug)?.status === "passed" || progress.exercises[app.slug]?.passedAt !== undefined;
    if (done) result.set(app.slug, "done");
    else result.set(app.slug, (["current", "next"] as const)[notDone++] ?? "later");
  }
  return result;
}

function readmeTitle(app: CourseApp): string {
  const readme = join(app.dir, "README.md");
  const heading = existsSync(readme) ? /^#\s+(.+)$/m.exec(readFileSync(readme, "utf8"))?.[1] : undefined;
  // "01 · Set a cookie…": the number is shown on its own.
  return heading?.replace(/^\d{2}\s*·\s*/, "").trim() ?? app.slug;
}
