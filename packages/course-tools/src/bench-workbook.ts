import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import pc from "picocolors";
import { workspaceRoot } from "./workspace.js";

/** A timed figure without its target: bench sets the targets, where it prints them. */
export interface Timings {
  readonly name: string;
  readonly runs: number[];
}

export interface WorkbookBench {
  /** The start page, the lesson and the exercises' pages, each kind timed while the first grading runs. */
  readonly pagesWhileGrading: readonly Timings[];
  /** The same pages once every exercise has its first grade. */
  readonly pagesAfterGrading: readonly Timings[];
  /** From writing the exercise's file to its new grade arriving on the page's event stream. */
  readonly saveToPage: Timings;
}

export interface WorkbookBenchOptions {
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
/** A learner reads a page before the next: pages are not asked back to back, which would measure a flood. */
const BETWEEN_PAGES_MS = 200;

/**
 * `pnpm start`, timed as a learner meets it: how long its pages take, while the first grading of every exercise
 * runs and after it, and how soon a save's new grade reaches the page (to compare with `pnpm watch`).
 */
export async function benchWorkbook({ runs, exercises, saved, signal }: WorkbookBenchOptions): Promise<WorkbookBench> {
  const workbook = await startWorkbook(signal);
  try {
    const stream = await GradeStream.open(`${workbook.origin}/-/events`, signal);
    const pages = [
      { kind: "start page (/)", paths: ["/"] },
      { kind: "lesson (/lesson)", paths: ["/lesson"] },
      { kind: `exercise page (/exercises/NN-…, all ${exercises.length})`, paths: exercises.map((slug) => `/exercises/${slug}`) },
    ];
    const firstGraded = () => exercises.every((slug) => stream.graded(slug) > 0);
    const firstGrades = stream.until(firstGraded, `the first grade of every exercise`, FIRST_GRADES_MS, signal);
    // Asked while grading runs; a failure of the wait shows after this loop, once the pages stop.
    firstGrades.catch(() => {});

    const during = pages.map(() => [] as number[]);
    progress(`workbook pages while the first grading runs `);
    while (!firstGraded() && !stream.ended) {
      await pageRound(workbook.origin, pages, during, signal);
      progress(".");
    }
    await firstGrades;
    progress("\n");

    const after = pages.map(() => [] as number[]);
    progress(`workbook pages after the first grading `);
    for (let run = 0; run < runs; run++) {
      await pageRound(workbook.origin, pages, after, signal);
      progress(".");
    }
    progress("\n");

    const saveToPage = await timeSaves(workbook.origin, stream, saved, runs, signal);
    const rows = (phase: string, times: number[][]) =>
      pages.map(({ kind }, index) => ({ name: `workbook page load ${phase}: ${kind}`, runs: times[index]! })).filter((row) => row.runs.length > 0);
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
async function pageRound(origin: string, pages: readonly { paths: readonly string[] }[], times: number[][], signal: AbortSignal): Promise<void> {
  for (const [index, { paths }] of pages.entries()) {
    for (const path of paths) {
      times[index]!.push(await timeGet(`${origin}${path}`, signal));
      await pause(BETWEEN_PAGES_MS, signal);
    }
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
async function timeSaves(origin: string, stream: GradeStream, saved: WorkbookBenchOptions["saved"], runs: number, signal: AbortSignal): Promise<Timings> {
  const name = `workbook: save to its grade in the page, one exercise (${saved.exercise.slice(0, 2)})`;
  progress(`${name} `);
  await timeGet(`${origin}/exercises/${saved.exercise}`, signal);
  await appAnswers(origin, signal);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const before = stream.graded(saved.exercise);
    const written = performance.now();
    writeFileSync(saved.file, `${saved.original}// bench save ${Date.now()}-${run}\n`);
    await stream.until(() => stream.graded(saved.exercise) > before, `the grade of ${saved.exercise} after a save`, SAVE_GRADE_MS, signal);
    times.push((stream.lastGradeAt(saved.exercise) - written) / 1000);
    progress(".");
    // The save restarted the app too: let it answer again before the next save, as it would between two edits.
    await appAnswers(origin, signal);
    await pause(300, signal);
  }
  progress("\n");
  return { name, runs: times };
}

/** Waits for the exercise's app to answer through the workbook (its proxy waits while the app starts). */
async function appAnswers(origin: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${origin}/`, { headers: { "Sec-Fetch-Dest": "iframe" }, signal });
  await response.arrayBuffer();
}

/** The `grade` events of the workbook's server-sent event stream, each with the moment it arrived. */
class GradeStream {
  readonly #arrivals = new Map<string, number[]>();
  readonly #waiters = new Set<() => void>();
  #ended = false;

  static async open(url: string, signal: AbortSignal): Promise<GradeStream> {
    const response = await fetch(url, { headers: { Accept: "text/event-stream" }, signal });
    if (!response.ok || !response.body) throw new Error(`bench: the workbook's event stream answered ${response.status}.`);
    const stream = new GradeStream();
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
async function startWorkbook(signal: AbortSignal): Promise<RunningWorkbook> {
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
      const timer = setTimeout(() => finish(new Error(`bench: the workbook printed no URL within ${START_MS / 1000} s:\n${printed}`)), START_MS);
      signal.addEventListener("abort", aborted);
      for (const output of [child.stdout, child.stderr]) {
        output.setEncoding("utf8").on("data", (chunk: string) => {
          printed = (printed + stripVTControlCharacters(chunk)).slice(-4_000);
          const port = /http:\/\/localhost:(\d+)/.exec(printed)?.[1];
          if (port) finish(undefined, port);
        });
      }
      child.once("exit", (code) => finish(new Error(`bench: the workbook ended (exit ${code}) before it printed its URL:\n${printed}`)));
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
