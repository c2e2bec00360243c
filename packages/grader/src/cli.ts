import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runTurbo } from "@cookie-course/course-tools/turbo";
import { findApp, listApps, type AppKind } from "@cookie-course/course-tools/workspace";
import pc from "picocolors";
import { exerciseResult, type ExerciseResult } from "./results.js";
import { gradeReport, toJson } from "./formats/grade-report.js";
import { toJunit } from "./formats/junit.js";
import { toMarkdown } from "./formats/markdown.js";
import { exerciseDetail, scoreboard } from "./scoreboard.js";

/** Where each app's grade lands: an output of its turbo `grade` task, restored on a cache hit. */
const APP_REPORT = "reports/grade.json";

const USAGE = `Usage:
  cookie-grader test [NN…] [--solutions]          grade exercises/ (or solutions/) through turbo, show the scoreboard
  cookie-grader grade --submission DIR [--json FILE] [--junit FILE] [--markdown FILE]
                                                  grade another checkout's exercises with this workspace's suite
  cookie-grader exercise [DIR] [--out FILE]        grade one app folder (the turbo task behind pnpm test)`;

/** Bad arguments or a missing folder: grading cannot run (exit 2). */
class UsageError extends Error {
  override name = "UsageError";
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { test, grade, exercise };

async function main(): Promise<number> {
  const [name = "", ...args] = process.argv.slice(2);
  const command = COMMANDS[name];
  if (!command) throw new UsageError(name ? `Unknown command "${name}".` : "Which command?");
  return command(args);
}

/** `cookie-grader exercise [DIR]`: grades one app folder; the verdict is in the report, so the task itself succeeds. */
async function exercise(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" } } });
  const appDir = resolve(positionals[0] ?? ".");
  const slug = basename(appDir);
  const target = { id: basename(dirname(appDir)), dir: dirname(appDir) };
  // Loaded only here and in grade: vitest takes 0.2 s to import, and `pnpm test` itself never needs it.
  const { runGrading } = await import("./run.js");
  const [result] = (await runGrading({ targets: [target], exercises: [slug] })).get(target.id)!;
  const out = resolve(appDir, values.out ?? APP_REPORT);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(exerciseDetail(result!));
  return 0;
}

/** `cookie-grader test [NN…] [--solutions]`: the learner's (and instructor's) scoreboard, through turbo's cache. */
async function test(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { solutions: { type: "boolean" } } });
  const kind: AppKind = values.solutions ? "solution" : "exercise";
  const all = listApps(kind);
  const apps = positionals.length === 0 ? all : positionals.map((query) => findApp(kind, query));
  // --continue: one exercise whose grading cannot run must not keep the others from being graded.
  const code = await runTurbo(["run", "grade", ...apps.map((app) => `--filter=${app.packageName}`), "--continue", "--output-logs=errors-only"], {
    quiet: true,
  });
  if (code !== 0) console.error(pc.red("Grading itself failed (see turbo's output above)."));
  const results = apps.map((app) => readAppReport(app.dir, app.slug));
  process.stdout.write(apps.length === 1 ? exerciseDetail(results[0]!) : scoreboard(results, { rerun: values.solutions ? "pnpm test:solutions" : "pnpm test" }));
  return results.every((result) => result.status === "passed") ? 0 : 1;
}

/** `cookie-grader grade --submission DIR`: course CI, with the pristine suite and this workspace's dependencies. */
async function grade(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { submission: { type: "string" }, json: { type: "string" }, junit: { type: "string" }, markdown: { type: "string" } },
  });
  if (!values.submission) throw new UsageError("--submission DIR is required.");
  const submission = resolve(values.submission);
  if (!existsSync(submission) || !statSync(submission).isDirectory()) throw new UsageError(`No folder at ${submission}.`);
  if (!existsSync(resolve(submission, "exercises"))) throw new UsageError(`${submission} has no exercises/ folder: is it a checkout of the course?`);

  const { runGrading } = await import("./run.js");
  const { stageSubmission } = await import("./submission.js");
  const started = new Date();
  const slugs = listApps("exercise").map((app) => app.slug);
  const staging = stageSubmission(submission, slugs);
  let results: ExerciseResult[];
  try {
    results = (await runGrading({ targets: [{ id: basename(submission), dir: staging.dir }], exercises: slugs })).get(basename(submission))!;
  } finally {
    staging.remove();
  }
  results = results.map((result) =>
    existsSync(resolve(submission, "exercises", result.id, "src"))
      ? result
      : exerciseResult(result.id, result.checks, result.durationMs, `exercises/${result.id}/src is missing from the submission.`),
  );
  const report = gradeReport(submission, results, started, Date.now() - started.getTime());
  const outputs: [string | undefined, string][] = [
    [values.json, toJson(report)],
    [values.junit, toJunit(report)],
    [values.markdown, toMarkdown(report)],
  ];
  for (const [file, text] of outputs) {
    if (!file) continue;
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(resolve(file), text);
  }
  process.stdout.write(scoreboard(results, { rerun: "pnpm grade --submission" }));
  return report.totals.failed === 0 ? 0 : 1;
}

function readAppReport(appDir: string, slug: string): ExerciseResult {
  try {
    return JSON.parse(readFileSync(resolve(appDir, APP_REPORT), "utf8")) as ExerciseResult;
  } catch {
    return exerciseResult(slug, [], 0, "Grading did not run for this exercise: see the errors above.");
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // Usage errors (this CLI's, course-tools', node:util parseArgs') are messages for a person, not bugs.
  const usage = error instanceof Error && (error.name === "UsageError" || String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS"));
  if (!usage) throw error;
  console.error(`${pc.red(error.message)}\n\n${USAGE}`);
  process.exitCode = 2;
}
// A learner's app may leave a server or timer running: the verdict is written, so end here.
process.exit();
