import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { benchWorkbook } from "./bench-workbook.js";
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
  targets. It edits an exercise and writes specs beside the solutions while it runs, and puts every file back after,
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
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`runs must be a whole number from 1, not "${runsText}".`);
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
    measure("cold pnpm test:solutions (grades not cached; every app in its own confined process)", runs, (run) =>
      time(...pnpmCommand("test:solutions"), { env: { COOKIE_COURSE_BENCH_RUN: `${Date.now()}-${run}` } }),
    { timesFloor: 1 }),
  );
  pnpmSync("test:solutions");
  measurements.push(measure("fully cached re-run of pnpm test:solutions", runs, () => time(...pnpmCommand("test:solutions")), { seconds: 0.5 }));

  // The second exercise: one that runs an earlier exercise's checks again, as most do.
  const timed = listApps("exercise")[1]!;
  const edited = join(timed.dir, "src", "page.ts");
  remember(edited);
  const original = readFileSync(edited, "utf8");
  pnpmSync("test");
  try {
    measurements.push(
      measure(`one exercise re-graded after an edit (pnpm test ${timed.number})`, runs, (run) => {
        appendFileSync(edited, `// bench edit ${Date.now()}-${run}\n`);
        return time(...pnpmCommand("test", timed.number));
      }, { seconds: 1 }),
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
    measurements.push(measure(`pnpm grade --submission (${listApps("solution").length} exercises)`, runs, () => time(...pnpmCommand("grade", "--submission", submission))));
  } finally {
    rmSync(submission, { recursive: true, force: true });
  }

  // A class: half finished, half untouched starters, graded in one batch; the figure is per submission.
  const klass = mkdtempSync(join(tmpdir(), "cookie-course-class-"));
  try {
    for (let student = 0; student < CLASS_SIZE; student++) {
      const kind = student % 2 === 0 ? "solution" : "exercise";
      for (const app of listApps(kind)) cpSync(join(app.dir, "src"), join(klass, "class", `student-${student}`, "exercises", app.slug, "src"), { recursive: true });
    }
    const batch = measure(`pnpm grade --submissions: ${CLASS_SIZE} submissions, per submission`, Math.min(runs, 3), () =>
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
    // The watcher starts right after the first grade: give it a moment before timing saves.
    await new Promise((resolve) => setTimeout(resolve, 300));
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
 * its grade in the page, next to `pnpm watch 01`'s save to print of the same edit (the "no later than").
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
    const pages = (timings: typeof workbook.pagesAfterGrading) => timings.map((row) => ({ ...row, target: { seconds: WORKBOOK_PAGE_S } }));
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

function measure(name: string, runs: number, run: (index: number) => number, target?: Measurement["target"]): Measurement {
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
function time(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
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
  for (const app of listApps("solution")) cpSync(join(app.dir, "src"), join(dir, "exercises", app.slug, "src"), { recursive: true });
  return dir;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function describeTarget(target: Measurement["target"], floor: number, value: number): { limit?: number; label: string } {
  if (!target) return { label: "" };
  if ("seconds" in target) return { limit: target.seconds, label: `≤ ${target.seconds} s` };
  if ("timesFloor" in target) {
    const limit = target.timesFloor * floor;
    return { limit, label: `≤ ${target.timesFloor}× floor (${limit.toFixed(2)} s)` };
  }
  const other = median(target.noLaterThan.runs);
  const ratio = other > 0 ? ` (now ${(value / other).toFixed(2)}×)` : "";
  const limit = other + target.plusSeconds;
  return { limit, label: `≤ 1× the row "${shortName(target.noLaterThan)}" + ${target.plusSeconds} s (${limit.toFixed(2)} s)${ratio}` };
}

/** A row's name up to its colon: enough to find it in the table. */
function shortName(measurement: Measurement): string {
  return measurement.name.split(":")[0]!;
}

function printTable(measurements: readonly Measurement[], floor: number): void {
  const rows = measurements.map((measurement) => {
    const value = median(measurement.runs);
    const target = measurement.target;
    const { limit, label } = describeTarget(target, floor, value);
    const verdict = limit === undefined ? "" : value <= limit ? pc.green("✓") : pc.red("✗");
    const spread = `${Math.min(...measurement.runs).toFixed(2)}–${Math.max(...measurement.runs).toFixed(2)}`;
    return [measurement.name, `${value.toFixed(2)} s`, spread, label, verdict];
  });
  const header = ["measurement", "median", "range (s)", "target", ""];
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => stripVTControlCharacters(row[column]!).length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell + " ".repeat(widths[column]! - stripVTControlCharacters(cell).length)).join(" | ")} |`;
  console.log(`\n${line(header)}\n${line(widths.map((width) => "-".repeat(width)))}`);
  for (const row of rows) console.log(line(row));
  console.log(pc.dim(`\nMedian of ${measurements[0]!.runs.length} runs each, on ${process.platform} with Node ${process.version}.`));
}
