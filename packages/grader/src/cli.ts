import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import pc from "picocolors";
import { commandLabel, parseCommandArgs } from "./args.js";
import { CommandError, UsageError } from "./errors.js";
import { githubAnnotations } from "./formats/annotations.js";
import { toExercism } from "./formats/exercism.js";
import { environmentFingerprint } from "./formats/fingerprint.js";
import { gradeReport, studentOf, toJson, type GradeReport } from "./formats/grade-report.js";
import { toGradebookCsv, toGradebookMarkdown } from "./formats/gradebook.js";
import { toGradescope } from "./formats/gradescope.js";
import { toJunit } from "./formats/junit.js";
import { toMarkdown } from "./formats/markdown.js";
import { MANIFEST_FILE, manifestDifferences, writeManifest } from "./manifest.js";
import { whenWritten } from "./flush.js";
import { readShards } from "./merge.js";
import { whatNext } from "./next-step.js";
import { readProgress, recordGrades } from "./progress.js";
import { GradeReportError, readExerciseReport, type ExerciseResult } from "./report.js";
import { exerciseDetail, scoreboard } from "./scoreboard.js";
import type { GradingOptions } from "./run.js";
import { confinementLayers, type ConfinementLayers } from "./sandbox/confinement.js";
import { DEFAULT_LIMITS } from "./shared.js";
import { runTurbo } from "./turbo.js";
import { findApp, listApps, workspaceRoot, type AppKind } from "./workspace.js";

/** What a learner edition holds at its root (course-tools' release writes it): how far the course is released. */
const EDITION_RECORD = "course-edition.json";

/** Exercises in a learner edition, which holds those released so far: more may come. */
function isLearnerEdition(kind: AppKind): boolean {
  return kind === "exercise" && existsSync(join(workspaceRoot, EDITION_RECORD));
}

/** Where each app's grade lands: an output of its turbo `grade` task, restored on a cache hit. */
const APP_REPORT = "reports/grade.json";
const GRADER_ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");

const LIMITS_USAGE = `  --request-timeout MS (3000)  --check-timeout MS (30000)  --exercise-timeout MS (60000)  --memory-limit MB (512)
  --no-bubblewrap              confine apps with Node's permission model alone`;

// The learner edition ships no solutions/: its usage offers nothing that needs them.
const HAS_SOLUTIONS = existsSync(join(workspaceRoot, "solutions"));

const USAGE = {
  test: `Usage: pnpm test [NN…]${HAS_SOLUTIONS ? "   (pnpm test:solutions [NN…] for solutions/)" : ""}
  Grades your exercises (all, or the ones named) through turbo's cache and shows the scoreboard; exit 1 while any fails.`,
  watch: `Usage: pnpm watch [NN…]
  Grades the exercises, then grades one again each time you save it. Ctrl+C stops.
${HAS_SOLUTIONS ? "  --solutions   watch solutions/ instead\n" : ""}${LIMITS_USAGE}`,
  grade: `Usage: pnpm grade --submission DIR [REPORTS] [LIMITS]   grade one checkout's exercises/*/src
       pnpm grade --submissions PARENT --out DIR [--shard I/N] [LIMITS]   a class, a folder per student
       pnpm grade --merge SHARD… --out DIR   merge the shards' reports into one gradebook
REPORTS: --json F --junit F --markdown F --gradescope F --exercism F, or --format NAME to print one on stdout
LIMITS:
${LIMITS_USAGE}`,
  exercise: `Usage: cookie-grader exercise [DIR] [--out FILE] [LIMITS]
  Grades one app folder into DIR/reports/grade.json (the turbo task behind pnpm test); exit 0 whatever the verdict.
${LIMITS_USAGE}`,
  manifest: `Usage: pnpm grader:manifest [--check]
  Records the SHA-256 of every file of the suite in suite.sha256 (after changing a check on purpose); --check compares.`,
} as const;

/** The user's own folder: pnpm runs root scripts in the workspace root, and says where they were typed in INIT_CWD. */
function fromUser(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** A path as the shell reads it back: bare when it is plain, else quoted (POSIX single quotes; double on Windows). */
function shellQuoted(path: string): string {
  if (/^[\w@%+=:,./-]+$/.test(path)) return path;
  return process.platform === "win32" ? `"${path}"` : `'${path.replace(/'/g, "'\\''")}'`;
}

const FORMATS: Record<string, (report: GradeReport) => string> = {
  json: toJson,
  junit: toJunit,
  markdown: toMarkdown,
  gradescope: toGradescope,
  exercism: toExercism,
};

const LIMIT_OPTIONS = {
  "request-timeout": { type: "string" },
  "check-timeout": { type: "string" },
  "exercise-timeout": { type: "string" },
  "memory-limit": { type: "string" },
  "no-bubblewrap": { type: "boolean" },
} as const;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { test, grade, exercise, manifest, watch };

const [commandName = "", ...commandArgs] = process.argv.slice(2);

async function main(): Promise<number> {
  const command = Object.hasOwn(COMMANDS, commandName) ? COMMANDS[commandName] : undefined;
  if (!command)
    throw new UsageError(
      `${commandName ? `unknown command "${commandName}"` : "which command?"}: one of ${Object.keys(COMMANDS).join(", ")}.`,
    );
  return command(commandArgs);
}

/** `cookie-grader exercise [DIR]`: grades one app folder; the verdict is in the report, so the task itself succeeds. */
async function exercise(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE.exercise,
    options: { out: { type: "string" }, ...LIMIT_OPTIONS },
    maxPositionals: 1,
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const appDir = resolve(positionals[0] ?? ".");
  const slug = basename(appDir);
  const target = { id: basename(dirname(appDir)), dir: dirname(appDir) };
  // Loaded only where grading happens: `pnpm test` itself never needs the grading modules.
  const { runGrading } = await import("./run.js");
  const [result] = (await runGrading({ targets: [target], exercises: [slug], ...runOptions(values) })).get(target.id)!;
  writeText(resolve(appDir, values.out ?? APP_REPORT), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(exerciseDetail(result!));
  return 0;
}

/**
 * `cookie-grader watch [NN…]`: grades the exercises, then re-grades the one being edited on every save, and shows
 * its checks and the next thing to do. Runs until Ctrl+C.
 */
async function watch(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE.watch,
    options: { solutions: { type: "boolean" }, ...LIMIT_OPTIONS },
    maxPositionals: Infinity,
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const kind: AppKind = values.solutions ? "solution" : "exercise";
  const all = listApps(kind);
  const apps = positionals.length === 0 ? all : positionals.map((query) => findApp(kind, query));
  const folder = kind === "solution" ? "solutions" : "exercises";
  // For pnpm bench: a machine-readable line per graded exercise, with the moment its grade was ready.
  const events = process.env.COOKIE_GRADER_WATCH_EVENTS === "1";
  // Ctrl+C may come at any moment, the first grade included: from here on it ends watching quietly, with exit 0.
  // A closed terminal (SIGHUP) or a kill (SIGTERM) ends it the same way: the spare apps and their staged copies go.
  const interrupted = new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => resolve());
  });
  const { watchExercises } = await import("./watch.js");
  // Whether each exercise passes: as graded here, else as the learner's progress last recorded it.
  const latest = new Map<string, ExerciseResult["status"]>();
  let progress = kind === "exercise" ? readProgress(workspaceRoot) : undefined;
  const passes = (slug: string) =>
    latest.has(slug) ? latest.get(slug) === "passed" : progress?.exercises[slug]?.passedAt !== undefined;
  const edition = isLearnerEdition(kind);
  const stop = await watchExercises(
    dirname(apps[0]!.dir),
    apps.map((app) => app.slug),
    (results) => {
      if (events)
        for (const result of results)
          console.log(`@@graded ${result.id} ${result.status} ${Date.now()} ${result.durationMs}`);
      for (const result of results) latest.set(result.id, result.status);
      if (progress) progress = recordGrades(workspaceRoot, results);
      if (process.stdout.isTTY) console.clear();
      for (const result of results) process.stdout.write(exerciseDetail(result));
      for (const result of results)
        if (result.status === "passed")
          console.log(pc.green(`\n${whatNext({ passed: result.id, all, watched: apps, kind, passes, edition })}`));
      // The time says a save was graded even when the grade did not change.
      const at = new Date().toLocaleTimeString("en-GB");
      console.log(
        pc.dim(
          `\nGraded at ${at}. Watching ${folder}/ (${apps.map((app) => app.number).join(", ")}): save a file to grade again. Ctrl+C to stop.`,
        ),
      );
    },
    runOptions(values),
  );
  // Watching goes on until Ctrl+C: then the spare app processes are ended, quietly.
  await interrupted;
  await stop();
  return 0;
}

/**
 * One line, on stderr, when course CI grades without bubblewrap: the permission model alone confines apps less (see
 * the README). Not on a learner's `pnpm test`, where a learner can only fool themselves.
 */
function sayWhenUnconfined(bubblewrap = true): void {
  const layers = confinementLayers({ bubblewrap, memoryLimitMb: DEFAULT_LIMITS.memoryMb });
  if (!layers.bubblewrap) console.error(unconfinedLine(layers));
}

function unconfinedLine(layers: ConfinementLayers): string {
  return pc.dim(
    `Note: no bubblewrap (${layers.bubblewrapNote ?? "unavailable"}). Apps run under Node's permission model and the time and memory limits, but share the network. On Linux: sudo apt-get install -y bubblewrap.`,
  );
}

/** `cookie-grader test [NN…] [--solutions]`: the learner's (and instructor's) scoreboard, through turbo's cache. */
async function test(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE.test,
    options: { solutions: { type: "boolean" } },
    maxPositionals: Infinity,
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const kind: AppKind = values.solutions ? "solution" : "exercise";
  const all = listApps(kind);
  const apps = positionals.length === 0 ? all : positionals.map((query) => findApp(kind, query));
  // --continue: one exercise whose grading cannot run must not keep the others from being graded.
  const code = await runTurbo(
    ["run", "grade", ...apps.map((app) => `--filter=${app.packageName}`), "--continue", "--output-logs=errors-only"],
    {
      quiet: true,
    },
  );
  if (code !== 0) console.error(pc.red("Grading itself failed (see turbo's output above)."));
  const results = await Promise.all(apps.map((app) => readAppReport(app.dir, app.slug)));
  // The learner's progress is theirs alone: recorded on this machine, for exercises (not solutions).
  const progress = kind === "exercise" ? recordGrades(workspaceRoot, results) : { exercises: {} };
  const passedAt = Object.fromEntries(Object.entries(progress.exercises).map(([id, entry]) => [id, entry.passedAt]));
  process.stdout.write(
    apps.length === 1
      ? exerciseDetail(results[0]!)
      : scoreboard(results, { rerun: values.solutions ? "pnpm test:solutions" : "pnpm test", passedAt }),
  );
  // One exercise, and it passes: what comes next, as pnpm watch says it.
  if (apps.length === 1 && results[0]!.status === "passed") {
    const passes = (slug: string) => progress.exercises[slug]?.passedAt !== undefined;
    console.log(
      pc.green(
        `\n${whatNext({ passed: apps[0]!.slug, all, watched: [], kind, passes, edition: isLearnerEdition(kind), from: "test" })}`,
      ),
    );
  }
  return results.every((result) => result.status === "passed") ? 0 : 1;
}

/** `cookie-grader grade …`: course CI, with the pristine suite and this workspace's dependencies. */
async function grade(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE.grade,
    maxPositionals: Infinity,
    options: {
      submission: { type: "string" },
      submissions: { type: "string" },
      merge: { type: "boolean" },
      out: { type: "string" },
      shard: { type: "string" },
      format: { type: "string" },
      ...Object.fromEntries(Object.keys(FORMATS).map((name) => [name, { type: "string" }] as const)),
      ...LIMIT_OPTIONS,
    },
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (!values.merge && positionals.length > 0)
    throw new UsageError(`takes no arguments besides --merge's folders, not "${positionals.join(" ")}".`);
  if (values.merge) return merge(positionals, requireOption(values.out, "--out DIR"));
  if (values.submissions)
    return gradeClass(values.submissions, requireOption(values.out, "--out DIR"), values.shard, runOptions(values));
  if (!values.submission)
    throw new UsageError("Give --submission DIR (one checkout), --submissions PARENT (a class) or --merge.");
  if (values.format !== undefined && !(values.format in FORMATS))
    throw new UsageError(`--format must be one of: ${Object.keys(FORMATS).join(", ")}.`);

  const submission = submissionDir(values.submission);
  const report = await gradeSubmissions([submission], runOptions(values)).then((reports) => reports[0]!);
  for (const name of Object.keys(FORMATS)) {
    const file = (values as Record<string, string | undefined>)[name];
    if (file) writeText(fromUser(file), FORMATS[name]!(report));
  }
  // On GitHub, an annotation per failed check; not with --format, whose stdout is the report alone.
  if (process.env.GITHUB_ACTIONS === "true" && !values.format) process.stdout.write(githubAnnotations(report));
  // With --format, stdout is the report alone, for a pipe (Gradescope's run_autograder, say).
  // The folder in full: the line must work pasted into any terminal, wherever it is.
  const rerun = `pnpm grade --submission ${shellQuoted(submission)}`;
  process.stdout.write(
    values.format ? FORMATS[values.format]!(report) : scoreboard(report.exercises, { rerun, perExercise: false }),
  );
  if (report.environment.confinement && !report.environment.confinement.bubblewrap)
    console.error(unconfinedLine(report.environment.confinement));
  return report.totals.failed === 0 ? 0 : 1;
}

/**
 * Grades submissions (all in one run, a few apps at once), each into its own report. A submission's apps are read
 * from its `exercises/<slug>/src` only, and never through a symbolic link.
 */
async function gradeSubmissions(
  submissions: readonly string[],
  options: RunOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<GradeReport[]> {
  const { runGradingWithDetails } = await import("./run.js");
  const started = new Date();
  const slugs = listApps("exercise").map((app) => app.slug);
  // Student folders are named by students: the id is the folder's name, whatever it holds.
  const targets = submissions.map((submission) => ({ id: submission, dir: join(submission, "exercises") }));
  let done = 0;
  const { results, confinement } = await runGradingWithDetails({
    targets,
    exercises: slugs,
    ...options,
    onExerciseDone: () => onProgress?.(++done, targets.length * slugs.length),
  });
  const environment = environmentFingerprint(workspaceRoot, confinement);
  return submissions.map((submission) =>
    gradeReport(submission, results.get(submission)!, started, Date.now() - started.getTime(), environment),
  );
}

/** `grade --submissions PARENT --out DIR`: a class, one folder per student, into a gradebook. */
async function gradeClass(
  parent: string,
  outDir: string,
  shard: string | undefined,
  options: RunOptions,
): Promise<number> {
  const parentDir = fromUser(parent);
  if (!existsSync(parentDir) || !statSync(parentDir).isDirectory()) throw new UsageError(`No folder at ${parentDir}.`);
  const students = readdirSync(parentDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
  const mine = students.filter((_student, index) => inShard(index, shard));
  if (mine.length === 0)
    throw new UsageError(`No student folders to grade in ${parentDir}${shard ? ` (shard ${shard})` : ""}.`);
  console.error(pc.dim(`Grading ${mine.length} submissions…`));
  sayWhenUnconfined(options.bubblewrap);
  const progress = (done: number, total: number) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} exercises graded`);
    else if (done === total || done % 25 === 0) console.error(`  ${done}/${total} exercises graded`);
  };
  const reports = await gradeSubmissions(
    mine.map((student) => join(parentDir, student)),
    options,
    progress,
  );
  if (process.stderr.isTTY) process.stderr.write("\n");
  writeClass(reports, fromUser(outDir));
  process.stdout.write(toGradebookMarkdown(reports));
  return 0;
}

/** `grade --merge DIR… --out DIR`: the shards' per-student reports, into one gradebook. */
async function merge(dirs: readonly string[], outDir: string): Promise<number> {
  const reports = readShards(dirs.map(fromUser));
  writeClass(reports, fromUser(outDir));
  process.stdout.write(toGradebookMarkdown(reports));
  return 0;
}

function writeClass(reports: readonly GradeReport[], outDir: string): void {
  for (const report of reports) writeText(join(outDir, `${studentOf(report)}.json`), toJson(report));
  writeText(join(outDir, "gradebook.csv"), toGradebookCsv(reports));
  writeText(join(outDir, "gradebook.md"), toGradebookMarkdown(reports));
}

/** `--shard 2/4`: every fourth student, starting with the second. */
function inShard(index: number, shard: string | undefined): boolean {
  if (shard === undefined) return true;
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  const [part, parts] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || part < 1 || part > parts)
    throw new UsageError(`--shard must look like 2/4 (part 2 of 4), not "${shard}".`);
  return index % parts === part - 1;
}

/** `cookie-grader manifest [--check]`. */
async function manifest(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE.manifest, options: { check: { type: "boolean" } } });
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.check) {
    writeManifest(GRADER_ROOT);
    console.log(`Recorded the hidden suite's hashes in ${MANIFEST_FILE}.`);
    return 0;
  }
  const differences = manifestDifferences(GRADER_ROOT);
  if (differences.length === 0) {
    console.log(pc.green(`✓ The hidden suite matches ${MANIFEST_FILE}.`));
    return 0;
  }
  console.error(pc.red(`✗ The hidden suite differs from ${MANIFEST_FILE}: ${differences.join(", ")}`));
  return 1;
}

function submissionDir(path: string): string {
  const submission = fromUser(path);
  if (!existsSync(submission) || !statSync(submission).isDirectory())
    throw new UsageError(`No folder at ${submission}.`);
  if (
    !existsSync(resolve(submission, "exercises")) &&
    !lstatSync(resolve(submission, "exercises"), { throwIfNoEntry: false })
  ) {
    throw new UsageError(`${submission} has no exercises/ folder: is it a checkout of the course?`);
  }
  return submission;
}

/** How a run may grade: its limits, and whether bubblewrap may be used. */
type RunOptions = Required<GradingOptions>;

function runOptions(values: Partial<Record<keyof typeof LIMIT_OPTIONS, string | boolean>>): RunOptions {
  const read = (option: Exclude<keyof typeof LIMIT_OPTIONS, "no-bubblewrap">) => {
    const text = values[option];
    if (typeof text !== "string") return undefined;
    const amount = Number(text);
    if (!Number.isInteger(amount) || amount <= 0)
      throw new UsageError(`--${option} takes a whole number, not "${text}".`);
    return amount;
  };
  const limits: { requestMs?: number; checkMs?: number; exerciseMs?: number; memoryMb?: number } = {};
  const set = (key: keyof typeof limits, value: number | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  set("requestMs", read("request-timeout"));
  set("checkMs", read("check-timeout"));
  set("exerciseMs", read("exercise-timeout"));
  set("memoryMb", read("memory-limit"));
  return { limits, bubblewrap: values["no-bubblewrap"] !== true };
}

function requireOption(value: string | undefined, name: string): string {
  if (value === undefined) throw new UsageError(`${name} is required.`);
  return value;
}

/** Writes a report whole or not at all: to a temporary file beside it, then renamed over it. */
function writeText(file: string, text: string): void {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** An app's grade as its turbo task wrote it; an exercise ungraded when there is none, or none that reads as a grade. */
async function readAppReport(appDir: string, slug: string): Promise<ExerciseResult> {
  try {
    return readExerciseReport(resolve(appDir, APP_REPORT));
  } catch (error) {
    if (!(error instanceof GradeReportError)) throw error;
    const { ungradedResult } = await import("./run.js");
    return ungradedResult(slug, "Grading did not run for this exercise: see the errors above.");
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // A command's own stops (bad arguments, a missing folder, a suite that differs from its manifest, a report that
  // is not one) are messages for a person, one line that names the command they typed; anything else is a bug
  // worth its stack.
  if (!(error instanceof CommandError)) throw error;
  const label = Object.hasOwn(COMMANDS, commandName) ? commandLabel("cookie-grader", commandName) : "cookie-grader";
  console.error(pc.red(`${label}: ${error.message}`));
  process.exitCode = 2;
}
// process.exit() would drop what a pipe has not taken yet (a report on stdout is often more than 64 kB).
await whenWritten([process.stdout, process.stderr]);
// The verdict is written: end here, whatever handle is left open (a spare app process's pipe, a timer).
process.exit();
