import type { AppKind, CourseApp } from "./workspace.js";

export interface PassedExercise {
  /** The exercise that just passed. */
  readonly passed: string;
  /** Every exercise of the course (as far as this checkout holds it), in order. */
  readonly all: readonly CourseApp[];
  /** The ones being watched. */
  readonly watched: readonly CourseApp[];
  readonly kind: AppKind;
  /** Whether an exercise passes now, as far as is known. */
  readonly passes: (slug: string) => boolean;
  /** A learner edition, which holds the exercises released so far: more may come. */
  readonly edition: boolean;
  /** The command that graded it: `pnpm watch` runs on, `pnpm test NN` has ended. */
  readonly from?: "watch" | "test";
}

/**
 * What to do once a watched exercise passes: the next exercise's command (or that it is watched already); after the
 * last one, the exercises still to pass, and whether more are to come; or that the course is done.
 */
export function whatNext({ passed, all, watched, kind, passes, edition, from = "watch" }: PassedExercise): string {
  const next = all[all.findIndex((app) => app.slug === passed) + 1];
  if (next) {
    if (watched.some((app) => app.slug === next.slug))
      return `✓ ${passed} passes. Next: ${next.slug}, watched here too.`;
    const solutions = kind === "solution" ? " --solutions" : "";
    if (from === "test") {
      const test = kind === "solution" ? `pnpm test:solutions ${next.number}` : `pnpm test ${next.number}`;
      return `✓ ${passed} passes. Next: ${next.slug}. Read exercises/${next.slug}/README.md, then run ${test} (or pnpm watch ${next.number}${solutions}, which grades on every save)`;
    }
    return `✓ ${passed} passes. Next: ${next.slug}. Read exercises/${next.slug}/README.md, then stop this (Ctrl+C) and run pnpm watch ${next.number}${solutions}`;
  }
  const open = all.filter((app) => app.slug !== passed && !passes(app.slug)).map((app) => app.number);
  const toPass = open.length === 0 ? "" : ` Still to pass: ${open.join(", ")} (pnpm test shows where each stands).`;
  if (edition)
    return `✓ ${passed} passes, the last exercise released so far: the next ones come with your course's next release.${toPass}`;
  if (open.length > 0) return `✓ ${passed} passes, the last exercise.${toPass}`;
  return `🎉 ${passed} passes, and it is the last exercise: the course is done. Well played!`;
}
