import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { pnpmCommand } from "./pnpm.js";
import { progressFile } from "./progress.js";
import { listApps, workspaceRoot } from "./workspace.js";

const RUNS = 5;
const CLASS_SIZE = 50;
const GRADER = join(workspaceRoot, "packages", "grader");

interface Measurement {
  readonly name: string;
  readonly runs: number[];
  /** A target in seconds, a ratio to the floor, or no later than another measurement (with a tolerance). */
  readonly target?:
    | { readonly seconds: number }
    | { readonly timesFloor: number }
    | { readonly noLaterThan: Measurement; readonly plusSeconds: number };
}

/** "A save shows its new grade in the page no later than `pnpm watch` prints it", give or take a timer's tick. */
const WORKBOOK_SAVE_TOLERANCE_S = 0.05;
/** "Pages load in under 200 ms." */
const WORKBOOK_PAGE_S = 0.2;

const USAGE = `Usage: pnpm bench [runs]   e.g. pnpm bench 3
  Times the learner's, instructor's and CI's commands (the median of runs, default ${RUNS}) against the course's
  targets, the workbook's (pnpm start, on a free port) among them. It edits an exercise and writes specs beside the solutions while it runs, and puts every file back after,
  Ctrl+C included.`;

/** Ctrl+C: the command being timed ends with it, and bench unwinds, putting back every file it edited. */
class Interrupted extends Error {
  override name = "Interrupted";
}

let interrupted = false;
let onInterrupt: (() => void) | undefined;
/** The same Ctrl+C for the waits that take a signal (the workbook's): aborted with an Interrupted. */
const interruption = new AbortController();

/** Files bench changed or created, with their text before (undefined: it did not exist). */
const originals = new Map<string, string | undefined>();

function remember(file: string): void {
  if (!originals.has(file)) originals.set(file, existsSync(file) ? readFileSync(file, "utf8") : undefined);
}

function restoreAll(): void {
  for (const [file, text] of originals) {
    if (text === undefined) rmSync(file, { force: true });
    else writeFileSync(file, text);
  }
  originals.clear();
}

/**
 * `pnpm bench`: how long learners, instructors and CI wait. Each figure is the median of several runs of the real
 * command, printed as a table with the targets of the course's issues.
 */
export async function bench(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: {}, maxPositionals: 1 });
  if (!parsed) return 0;
  const [runsText = String(RUNS)] = parsed.positionals;
  const runs = Number(runsText);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`runs must be a whole number from 1, not "${runsText}".`);
  const interrupt = () => {
    interrupted = true;
    onInterrupt?.();
    interruption.abort(new Interrupted());
  };
  process.on("SIGINT", interrupt);
  // The last line of defence: whatever ends bench (short of SIGKILL), the edited files go back.
  process.on("exit", restoreAll);
  try {
    await measureAll(runs);
    return 0;
  } catch (error) {
    // A process bench waits on may end with the same Ctrl+C before bench hears it: that is the interruption too.
    if (!(error instanceof Interrupted) && !interrupted) throw error;
    restoreAll();
    console.error(pc.yellow("\nbench: interrupted. Every file it edited is back as it was."));
    return 130;
  } finally {
    restoreAll();
    process.off("SIGINT", interrupt);
    process.off("exit", restoreAll);
  }
}

async function measureAll(runs: number): Promise<void> {
  const measurements: Measurement[] = [];
  // Grading records the learner's progress: what bench graded is not the learner's, so it goes back too.
  remember(progressFile(workspaceRoot));
  // Builds are not what is measured: bring every dist/ up to date first.
  pnpmSync("build");
  const floor = withFloorSpecs(() =>
    measure("floor: one plain vitest process, each solution's app imported in-process and sent GET /", runs, () =>
      time(process.execPath, ["--input-type=module", "-e", FLOOR_SCRIPT], { cwd: GRADER }),
    ),
  );
  measurements.push(floor);
  measurements.push(
    measure(
      "cold pnpm test:solutions (grades not cached; every app in its own confined process)",
      runs,
      (run) => time(...pnpmCommand("test:solutions"), { env: { COOKIE_COURSE_BENCH_RUN: `${Date.now()}-${run}` } }),
      { timesFloor: 1 },
    ),
  );
  pnpmSync("test:solutions");
  measurements.push(
    measure("fully cached re-run of pnpm test:solutions", runs, () => time(...pnpmCommand("test:solutions")), {
      seconds: 0.5,
    }),
  );

  // The second exercise: one that runs an earlier exercise's checks again, as most do.
  const timed = listApps("exercise")[1]!;
  const edited = join(timed.dir, "src", "page.ts");
  remember(edited);
  const original = readFileSync(edited, "utf8");
  pnpmSync("test");
  try {
    measurements.push(
      measure(
        `one exercise re-graded after an edit (pnpm test ${timed.number})`,
        runs,
        (run) => {
          appendFileSync(edited, `// bench edit ${Date.now()}-${run}\n`);
          return time(...pnpmCommand("test", timed.number));
        },
        { seconds: 1 },
      ),
    );
  } finally {
    writeFileSync(edited, original);
    pnpmSync("test");
  }

  try {
    measurements.push(await watchLatency(timed.number, edited, original, runs));
  } finally {
    writeFileSync(edited, original);
  }

  measurements.push(...(await workbookLatency(runs)));

  const submission = solutionsAsSubmission();
  try {
    measurements.push(
      measure(`pnpm grade --submission (${listApps("solution").length} exercises)`, runs, () =>
        time(...pnpmCommand("grade", "--submission", submission)),
      ),
    );
  } finally {
    rmSync(submission, { recursive: true, force: true });
  }

  // A class: half finished, half untouched starters, graded in one batch; the figure is per submission.
  const klass = mkdtempSync(join(tmpdir(), "cookie-course-class-"));
  try {
    for (let student = 0; student < CLASS_SIZE; student++) {
      const kind = student % 2 === 0 ? "solution" : "exercise";
      for (const app of listApps(kind))
        cpSync(join(app.dir, "src"), join(klass, "class", `student-${student}`, "exercises", app.slug, "src"), {
          recursive: true,
        });
    }
    const batch = measure(
      `pnpm grade --submissions: ${CLASS_SIZE} submissions, per submission`,
      Math.min(runs, 3),
      () =>
        time(...pnpmCommand("grade", "--submissions", join(klass, "class"), "--out", join(klass, "out"))) / CLASS_SIZE,
      { seconds: 0.3 },
    );
    measurements.push(batch);
  } finally {
    rmSync(klass, { recursive: true, force: true });
  }

  printTable(measurements, median(floor.runs));
}

/**
 * `pnpm watch NN`: from a save to the moment its grade is ready, as the watcher reports it (a machine-readable
 * `@@graded <slug> <status> <epoch ms>` line per graded exercise).
 */
async function watchLatency(exercise: string, edited: string, original: string, runs: number): Promise<Measurement> {
  const name = `pnpm watch: save to result, one exercise (${exercise})`;
  process.stdout.write(pc.dim(`${name} `));
  // The grader's own bin, not pnpm: stopping pnpm could leave its child watching.
  const child = spawn(process.execPath, [join(GRADER, "bin", "cookie-grader.js"), "watch", exercise], {
    cwd: workspaceRoot,
    env: { ...process.env, COOKIE_GRADER_WATCH_EVENTS: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const graded: number[] = [];
  let waiting: (() => void) | undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    for (const match of chunk.matchAll(/@@graded \S+ \S+ (\d+)/g)) graded.push(Number(match[1]));
    waiting?.();
  });
  const nextGrade = (count: number, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pnpm watch gave no grade within ${ms} ms`)), ms);
      onInterrupt = () => {
        clearTimeout(timer);
        reject(new Interrupted());
      };
      if (interrupted) onInterrupt();
      waiting = () => {
        if (graded.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      waiting();
    });
  const times: number[] = [];
  try {
    await nextGrade(1, 60_000);
    // The watcher is ready before the first grade: saves can be timed at once.
    for (let run = 0; run < runs; run++) {
      const before = graded.length;
      const saved = Date.now();
      writeFileSync(edited, `${original}// bench save ${saved}-${run}\n`);
      await nextGrade(before + 1, 10_000);
      times.push((graded.at(-1)! - saved) / 1000);
      process.stdout.write(pc.dim("."));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    onInterrupt = undefined;
    child.kill();
  }
  process.stdout.write("\n");
  return { name, runs: times, target: { seconds: 0.3 } };
}

/**
 * `pnpm start`: its pages while it grades every exercise at start and after, and a save of exercise 01's app to
 * its grade in the page, next to `pnpm watch 01`'s save to print of the same edit (the issue's "no later than").
 */
async function workbookLatency(runs: number): Promise<Measurement[]> {
  const exercises = listApps("exercise");
  const first = exercises[0]!;
  const edited = join(first.dir, "src", "app.ts");
  remember(edited);
  const original = readFileSync(edited, "utf8");
  try {
    const watch = await watchLatency(first.number, edited, original, runs);
    writeFileSync(edited, original);
    const workbook = await benchWorkbook({
      runs,
      exercises: exercises.map((app) => app.slug),
      saved: { exercise: first.slug, file: edited, original },
      signal: interruption.signal,
    });
    const pages = (timings: typeof workbook.pagesAfterGrading) =>
      timings.map((row) => ({ ...row, target: { seconds: WORKBOOK_PAGE_S } }));
    return [
      watch,
      ...pages(workbook.pagesWhileGrading),
      ...pages(workbook.pagesAfterGrading),
      { ...workbook.saveToPage, target: { noLaterThan: watch, plusSeconds: WORKBOOK_SAVE_TOLERANCE_S } },
    ];
  } finally {
    writeFileSync(edited, original);
  }
}

/**
 * The floor: what grading costs with no boundary at all, in one plain vitest process (as the grader ran before its
 * apps were confined): a spec per solution that imports its app in-process and sends one GET / with supertest.
 */
const FLOOR_SPEC = ".bench-floor.spec.ts";
const FLOOR_SCRIPT = `
import { startVitest } from "vitest/node";
const vitest = await startVitest("test", [], { root: ${JSON.stringify(workspaceRoot)}, config: false, watch: false, include: ["solutions/*/${FLOOR_SPEC}"], reporters: [{}], silent: true }, { logLevel: "silent" });
await vitest.close();
process.exit();
`;

/** Writes the floor's specs beside each solution (where its packages resolve) for the length of `measure`. */
function withFloorSpecs<T>(measureFloor: () => T): T {
  const specs = listApps("solution").map((app) => join(app.dir, FLOOR_SPEC));
  for (const spec of specs) {
    remember(spec);
    writeFileSync(
      spec,
      `import request from "supertest";\nimport { expect, it } from "vitest";\nimport { createApp } from "./src/app.js";\n\nit("answers GET /", async () => {\n  expect((await request(createApp()).get("/")).status).toBe(200);\n});\n`,
    );
  }
  try {
    return measureFloor();
  } finally {
    for (const spec of specs) rmSync(spec, { force: true });
  }
}

function measure(
  name: string,
  runs: number,
  run: (index: number) => number,
  target?: Measurement["target"],
): Measurement {
  process.stdout.write(pc.dim(`${name} `));
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    times.push(run(index));
    process.stdout.write(pc.dim("."));
  }
  process.stdout.write("\n");
  return { name, runs: times, ...(target ? { target } : {}) };
}

/** Wall-clock seconds of one command. Its exit code does not matter: a failing grade is still a grade. */
function time(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): number {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? workspaceRoot,
    env: { ...process.env, ...options.env },
    stdio: "ignore",
    shell: process.platform === "win32" && !command.endsWith(".exe"),
  });
  if (result.error) throw result.error;
  if (interrupted || result.signal === "SIGINT") throw new Interrupted();
  return (performance.now() - started) / 1000;
}

function pnpmSync(...args: string[]): void {
  time(...pnpmCommand(...args));
}

/** The solutions laid out as a learner's checkout: exercises/<slug>/src, and nothing else. */
function solutionsAsSubmission(): string {
  const dir = mkdtempSync(join(tmpdir(), "cookie-course-submission-"));
  for (const app of listApps("solution"))
    cpSync(join(app.dir, "src"), join(dir, "exercises", app.slug, "src"), { recursive: true });
  return dir;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function describeTarget(
  target: Measurement["target"],
  floor: number,
  value: number,
): { limit?: number; label: string } {
  if (!target) return { label: "" };
  if ("seconds" in target) return { limit: target.seconds, label: `≤ ${target.seconds} s` };
  if ("timesFloor" in target) {
    const limit = target.timesFloor * floor;
    return { limit, label: `≤ ${target.timesFloor}× floor (${seconds(limit)})` };
  }
  const other = median(target.noLaterThan.runs);
  const ratio = other > 0 ? ` (now ${(value / other).toFixed(2)}×)` : "";
  const limit = other + target.plusSeconds;
  return {
    limit,
    label: `≤ 1× ${shortName(target.noLaterThan)} + ${target.plusSeconds} s (${seconds(limit)})${ratio}`,
  };
}

/** A row's name up to its colon, and the exercise it names: "pnpm watch (01)". */
function shortName(measurement: Measurement): string {
  const exercise = /\((\d\d)\)$/.exec(measurement.name)?.[1];
  return `${measurement.name.split(":")[0]!}${exercise ? ` (${exercise})` : ""}`;
}

/** Under a second, in thousandths: a page load of 4 ms is not "0.00 s". */
function seconds(value: number): string {
  return `${value.toFixed(value < 1 ? 3 : 2)} s`;
}

function printTable(measurements: readonly Measurement[], floor: number): void {
  const rows = measurements.map((measurement) => {
    const value = median(measurement.runs);
    const target = measurement.target;
    const { limit, label } = describeTarget(target, floor, value);
    const verdict = limit === undefined ? "" : value <= limit ? pc.green("✓") : pc.red("✗");
    const spread = `${seconds(Math.min(...measurement.runs))} – ${seconds(Math.max(...measurement.runs))}`;
    return [measurement.name, seconds(value), spread, label, verdict];
  });
  const header = ["measurement", "median", "range", "target", ""];
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => stripVTControlCharacters(row[column]!).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell + " ".repeat(widths[column]! - stripVTControlCharacters(cell).length)).join(" | ")} |`;
  console.log(`\n${line(header)}\n${line(widths.map((width) => "-".repeat(width)))}`);
  for (const row of rows) console.log(line(row));
  console.log(
    pc.dim(
      `\nMedian of ${measurements[0]!.runs.length} runs each, on ${process.platform} with Node ${process.version}.`,
    ),
  );
}

// The workbook (`pnpm start`), timed through its own HTTP interface: its pages and its event stream.

/** A timed figure before bench gives it its target. */
type Timings = Omit<Measurement, "target">;

interface WorkbookBench {
  /** The start page, the lesson and the exercises' pages, each kind timed while the first grading runs. */
  readonly pagesWhileGrading: readonly Timings[];
  /** The same pages once every exercise has its first grade. */
  readonly pagesAfterGrading: readonly Timings[];
  /** From writing the exercise's file to its new grade arriving on the page's event stream. */
  readonly saveToPage: Timings;
}

interface WorkbookBenchOptions {
  readonly runs: number;
  /** Every exercise's slug: the workbook grades them all at start, and has a page for each. */
  readonly exercises: readonly string[];
  /** The exercise saved, and the file written (its text before is `original`; the caller puts it back). */
  readonly saved: { readonly exercise: string; readonly file: string; readonly original: string };
  /** Ctrl+C: every wait ends at once with the signal's reason. */
  readonly signal: AbortSignal;
}

const WORKBOOK_BIN = join(workspaceRoot, "packages", "workbook", "bin", "workbook.js");
/** A cold start on a loaded machine: the workbook builds nothing, but tsx may compile it from src/. */
const START_MS = 60_000;
/** Every exercise graded once, from a cold grader, on 2 busy cores. */
const FIRST_GRADES_MS = 180_000;
const SAVE_GRADE_MS = 30_000;
/**
 * A pause between two pages, as between a learner's clicks (quick ones: the first grading lasts a few seconds,
 * and each page kind should be asked several times in it). Back to back, bench would time a flood.
 */
const BETWEEN_PAGES_MS = 100;
/** The app runner stops the app before and starts the next: tsx takes a second or two on a loaded machine. */
const APP_MOVE_MS = 15_000;
/** Between two saves: the app has restarted, as it has between a learner's two edits. */
const BETWEEN_SAVES_MS = 1_500;

/**
 * `pnpm start`, timed as a learner meets it: how long its pages take, while the first grading of every exercise
 * runs and after it, and how soon a save's new grade reaches the page (to compare with `pnpm watch`).
 */
async function benchWorkbook({ runs, exercises, saved, signal }: WorkbookBenchOptions): Promise<WorkbookBench> {
  const workbook = await startWorkbookProcess(signal);
  try {
    const stream = await WorkbookEvents.open(`${workbook.origin}/-/events`, signal);
    const pages = [
      { kind: "start page (/)", paths: ["/"] },
      { kind: "lesson (/lesson)", paths: ["/lesson"] },
      {
        kind: `exercise page (/exercises/NN-…, all ${exercises.length})`,
        paths: exercises.map((slug) => `/exercises/${slug}`),
      },
    ];
    const firstGraded = () => exercises.every((slug) => stream.graded(slug) > 0);
    const firstGrades = stream.until(firstGraded, `the first grade of every exercise`, FIRST_GRADES_MS, signal);
    // Asked while grading runs; a failure of the wait shows after this loop, once the pages stop.
    firstGrades.catch(() => {});

    const during = pages.map(() => [] as number[]);
    progress(`workbook pages while the first grading runs `);
    while (!firstGraded() && !stream.ended) {
      await pageRound(workbook.origin, stream, pages, during, signal);
      progress(".");
    }
    await firstGrades;
    progress("\n");

    const after = pages.map(() => [] as number[]);
    progress(`workbook pages after the first grading `);
    for (let run = 0; run < runs; run++) {
      await pageRound(workbook.origin, stream, pages, after, signal);
      progress(".");
    }
    progress("\n");

    const saveToPage = await timeSaves(workbook.origin, stream, saved, runs, signal);
    const rows = (phase: string, times: number[][]) =>
      pages
        .map(({ kind }, index) => ({ name: `workbook page load ${phase}: ${kind}`, runs: times[index]! }))
        .filter((row) => row.runs.length > 0);
    return {
      pagesWhileGrading: rows("while the first grading runs", during),
      pagesAfterGrading: rows("after the first grading", after),
      saveToPage,
    };
  } finally {
    await workbook.stop();
  }
}

/** One visit of every page, each timed until its body is read to the end. */
async function pageRound(
  origin: string,
  stream: WorkbookEvents,
  pages: readonly { paths: readonly string[] }[],
  times: number[][],
  signal: AbortSignal,
): Promise<void> {
  for (const [index, { paths }] of pages.entries()) {
    for (const path of paths) {
      const exercise = /^\/exercises\/([^/]+)$/.exec(path)?.[1];
      const appsBefore = exercise ? stream.appEvents(exercise) : 0;
      times[index]!.push(await timeGet(`${origin}${path}`, signal));
      if (exercise) await appMoved(stream, exercise, appsBefore, signal);
      await pause(BETWEEN_PAGES_MS, signal);
    }
  }
}

/**
 * An exercise's page moves the app to that exercise: waits until the workbook says its app is starting, before
 * the next page may move it again (two moves at once can leave an app running that nothing stops).
 */
async function appMoved(
  stream: WorkbookEvents,
  exercise: string,
  appsBefore: number,
  signal: AbortSignal,
): Promise<void> {
  if (stream.appNow === exercise && stream.appEvents(exercise) === appsBefore) return;
  try {
    await stream.until(
      () => stream.appEvents(exercise) > appsBefore,
      `the workbook's word that the app of ${exercise} starts`,
      APP_MOVE_MS,
      signal,
    );
  } catch (error) {
    if (signal.aborted || stream.ended) throw error;
    // The pages are what is timed: a stuck app runner is told, not a reason to stop.
    console.error(
      pc.yellow(
        `\nbench: the workbook did not say that the app of ${exercise} starts within ${APP_MOVE_MS / 1000} s of its page (its previous app may not have stopped).`,
      ),
    );
  }
}

async function timeGet(url: string, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { signal });
  await response.arrayBuffer();
  const seconds = (performance.now() - started) / 1000;
  if (!response.ok) throw new Error(`bench: the workbook answered GET ${url} with ${response.status}.`);
  return seconds;
}

/**
 * Saves of the exercise, as the learner makes them with its page open: its app runs (the workbook restarts it on
 * each save, as it would), and each save is timed from the write to its grade event arriving.
 */
async function timeSaves(
  origin: string,
  stream: WorkbookEvents,
  saved: WorkbookBenchOptions["saved"],
  runs: number,
  signal: AbortSignal,
): Promise<Timings> {
  const name = `workbook: save to its grade in the page, one exercise (${saved.exercise.slice(0, 2)})`;
  progress(`${name} `);
  const appsBefore = stream.appEvents(saved.exercise);
  await timeGet(`${origin}/exercises/${saved.exercise}`, signal);
  await appMoved(stream, saved.exercise, appsBefore, signal);
  await appAnswers(origin, signal);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const before = stream.graded(saved.exercise);
    const written = performance.now();
    writeFileSync(saved.file, `${saved.original}// bench save ${Date.now()}-${run}\n`);
    await stream.until(
      () => stream.graded(saved.exercise) > before,
      `the grade of ${saved.exercise} after a save`,
      SAVE_GRADE_MS,
      signal,
    );
    times.push((stream.lastGradeAt(saved.exercise) - written) / 1000);
    progress(".");
    // The save restarts the app too: give it the time a learner takes between two saves. Not a request through the
    // proxy to wait for it: one that meets the app as it stops fails, and would end the measurement.
    await pause(BETWEEN_SAVES_MS, signal);
  }
  progress("\n");
  return { name, runs: times };
}

/** Waits for the exercise's app to answer through the workbook (its proxy waits while the app starts). */
async function appAnswers(origin: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${origin}/`, { headers: { "Sec-Fetch-Dest": "iframe" }, signal });
  await response.arrayBuffer();
}

/**
 * The workbook's server-sent event stream: its `grade` events, each with the moment it arrived, and its `app`
 * events (the app moved to an exercise, started, stopped).
 */
class WorkbookEvents {
  readonly #arrivals = new Map<string, number[]>();
  readonly #apps = new Map<string, number>();
  #appNow: string | undefined;
  readonly #waiters = new Set<() => void>();
  #ended = false;

  static async open(url: string, signal: AbortSignal): Promise<WorkbookEvents> {
    const response = await fetch(url, { headers: { Accept: "text/event-stream" }, signal });
    if (!response.ok || !response.body)
      throw new Error(`bench: the workbook's event stream answered ${response.status}.`);
    const stream = new WorkbookEvents();
    void stream.#read(response.body);
    return stream;
  }

  /** How many grades of the exercise arrived. */
  graded(exercise: string): number {
    return this.#arrivals.get(exercise)?.length ?? 0;
  }

  /** When (performance.now()) the exercise's last grade arrived. */
  lastGradeAt(exercise: string): number {
    return this.#arrivals.get(exercise)?.at(-1) ?? Number.NaN;
  }

  /** How many `app` events named the exercise. */
  appEvents(exercise: string): number {
    return this.#apps.get(exercise) ?? 0;
  }

  /** The exercise of the last `app` event. */
  get appNow(): string | undefined {
    return this.#appNow;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Resolves once `condition` holds, checked as each event arrives. */
  until(condition: () => boolean, what: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        this.#waiters.delete(check);
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
      const check = () => {
        if (condition()) finish();
        else if (this.#ended) finish(new Error(`bench: the workbook's event stream ended before ${what}.`));
      };
      const aborted = () => finish(signal.reason);
      const timer = setTimeout(() => finish(new Error(`bench: no ${what} within ${timeoutMs / 1000} s.`)), timeoutMs);
      signal.addEventListener("abort", aborted);
      this.#waiters.add(check);
      if (signal.aborted) aborted();
      else check();
    });
  }

  /** Reads `event:`/`data:` lines; a blank line ends an event (HTML Living Standard §9.2.6). */
  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    let buffer = "";
    let event = "message";
    let data: string[] = [];
    try {
      for await (const text of body.pipeThrough(new TextDecoderStream())) {
        const arrived = performance.now();
        buffer += text;
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === "") {
            if (event === "grade" && data.length > 0) this.#grade(data.join("\n"), arrived);
            if (event === "app" && data.length > 0) this.#app(data.join("\n"));
            event = "message";
            data = [];
          } else if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        for (const waiter of [...this.#waiters]) waiter();
      }
    } catch {
      // Aborted, or the workbook stopped: the waiters hear that the stream ended.
    }
    this.#ended = true;
    for (const waiter of [...this.#waiters]) waiter();
  }

  #app(json: string): void {
    const { exercise } = JSON.parse(json) as { exercise?: string };
    if (exercise === undefined) return;
    this.#apps.set(exercise, this.appEvents(exercise) + 1);
    this.#appNow = exercise;
  }

  #grade(json: string, arrived: number): void {
    const { exercise } = JSON.parse(json) as { exercise: string };
    const arrivals = this.#arrivals.get(exercise) ?? [];
    arrivals.push(arrived);
    this.#arrivals.set(exercise, arrivals);
  }
}

interface RunningWorkbook {
  /** http://127.0.0.1:PORT: the address fetch connects to at once (localhost may try ::1 first). */
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * The workbook as `pnpm start` runs it (its own bin, not pnpm: stopping pnpm could leave it running), on a free
 * port (PORT=0), ready once it prints its URL.
 */
async function startWorkbookProcess(signal: AbortSignal): Promise<RunningWorkbook> {
  const child = spawn(process.execPath, [WORKBOOK_BIN], {
    cwd: workspaceRoot,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const stop = () => stopChild(child);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const finish = (error: unknown, port?: string) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        if (port) resolve(port);
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
      const aborted = () => finish(signal.reason);
      const timer = setTimeout(
        () => finish(new Error(`bench: the workbook printed no URL within ${START_MS / 1000} s:\n${printed}`)),
        START_MS,
      );
      signal.addEventListener("abort", aborted);
      for (const output of [child.stdout, child.stderr]) {
        output.setEncoding("utf8").on("data", (chunk: string) => {
          printed = (printed + stripVTControlCharacters(chunk)).slice(-4_000);
          const port = /http:\/\/localhost:(\d+)/.exec(printed)?.[1];
          if (port) finish(undefined, port);
        });
      }
      child.once("exit", (code) =>
        finish(new Error(`bench: the workbook ended (exit ${code}) before it printed its URL:\n${printed}`)),
      );
      if (signal.aborted) aborted();
    });
    return { origin: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM, which the workbook takes as Ctrl+C: it stops its grader and the app it runs, then exits. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const stuck = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(stuck);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", aborted);
      resolve();
    }, ms);
    if (signal.aborted) aborted();
    else signal.addEventListener("abort", aborted, { once: true });
  });
}

function progress(text: string): void {
  process.stdout.write(pc.dim(text));
}
