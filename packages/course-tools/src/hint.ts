import { existsSync } from "node:fs";
import { join } from "node:path";
import { firstFailure, readExerciseReport } from "@cookie-course/grader/report";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { hintKey, readProgress, writeProgress } from "./progress.js";
import { runTurbo } from "./turbo.js";
import { findApp, workspaceRoot, type CourseApp } from "./workspace.js";

const USAGE = `Usage: pnpm hint <NN>   e.g. pnpm hint 02
  Grades exercise NN as it is now (at once when nothing changed: turbo's cache), then shows the next hint for its
  first failed check, one more each time.`;

/** Brings an exercise's grade (reports/grade.json) up to date with its code; resolves to whether grading ran. */
export type Regrade = (app: CourseApp) => Promise<boolean>;

/** The same graded task as `pnpm test NN`: a cache hit when the code has not changed since the last grade. */
const gradeThroughTurbo: Regrade = async (app) =>
  (await runTurbo(["run", "grade", `--filter=${app.packageName}`, "--output-logs=errors-only"], { quiet: true })) === 0;

/**
 * `pnpm hint 02`: the next hint for the first failed check of exercise 02, one more each time. It grades the code
 * first, so the hint is about the code as it is now, not as it was at the last `pnpm test`.
 */
export async function hint(
  args: readonly string[],
  root = workspaceRoot,
  regrade: Regrade = gradeThroughTurbo,
): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: {}, maxPositionals: 1 });
  if (!parsed) return 0;
  const [number] = parsed.positionals;
  if (!number) throw new UsageError("which exercise? e.g. pnpm hint 02");
  const app = findApp("exercise", number, root);
  const report = join(app.dir, "reports", "grade.json");
  if (!(await regrade(app)) || !existsSync(report)) {
    console.error(pc.red(`${app.slug} could not be graded just now: pnpm test ${app.number} shows why.`));
    return 1;
  }
  // A file that does not read as a grade is named, with what is wrong in it (exit 2).
  const grade = readExerciseReport(report);
  // The same check pnpm test NN explains: the exercise's own first failure before a gate's.
  const failed = firstFailure(grade);
  if (!failed) {
    console.log(
      grade.status === "passed"
        ? pc.green(`${app.slug} passes as it is now: no hint needed.`)
        : `Nothing failed: pnpm test ${app.number} says what stopped grading.`,
    );
    return 0;
  }
  const hints = failed.hints ?? [];
  console.log(pc.dim(`Graded ${app.slug} as it is now: the first check to fix is "${failed.name}".`));
  if (hints.length === 0) {
    console.log(`No hints for this check: its message in pnpm test ${app.number} says what was expected.`);
    return 0;
  }
  const progress = readProgress(root);
  const entry = (progress.exercises[app.slug] ??= {});
  const shown = Math.min((entry.hintsShown?.[hintKey(failed)] ?? 0) + 1, hints.length);
  entry.hintsShown = { ...entry.hintsShown, [hintKey(failed)]: shown };
  writeProgress(root, progress);

  console.log(pc.bold(`💡 ${failed.name}`));
  hints
    .slice(0, shown)
    .forEach((text, index) =>
      console.log(`  ${index + 1}/${hints.length}  ${index === shown - 1 ? text : pc.dim(text)}`),
    );
  console.log(
    pc.dim(
      shown < hints.length
        ? `\n  Still stuck? pnpm hint ${app.number} shows the next one.`
        : "\n  That was the last hint for this check.",
    ),
  );
  return 0;
}
