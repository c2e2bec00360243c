import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { Exercise } from "./course.js";

/** How long an app may take to end on SIGTERM before it is killed. */
const STOP_MS = 3_000;

/** How long a restarted app may take to listen again before it is said not to answer. */
const RESTART_MS = 15_000;

/** How much of what the app printed is kept for the page: its last lines. */
const OUTPUT_LIMIT_CHARS = 4_000;

export type AppState = "stopped" | "starting" | "running" | "not-answering" | "ended";

export interface AppStatus {
  readonly exercise: string | undefined;
  readonly state: AppState;
  /**
   * What the app printed last (a crash, a syntax error), without colours; its own port is explained where it
   * prints it, as the learner reaches the app through the workbook, never there.
   */
  readonly output: string;
  /** Why it is not answering, or how it ended, in a sentence; undefined while it runs or starts. */
  readonly detail?: string | undefined;
}

/**
 * Runs one exercise's app at a time, as `pnpm dev NN` does: its own `src/server.ts` under tsx. It listens on a free
 * port of 127.0.0.1 that only the workbook's proxy uses; the learner visits it through the workbook. Opening
 * another exercise's page moves the app to that exercise. A save restarts it, once the save's grade is out
 * ({@link restart}): not `tsx watch`, whose restart would compete with the grader for the machine just when the
 * learner waits for the grade.
 */
export class AppRunner {
  #exercise: Exercise | undefined;
  #child: ChildProcess | undefined;
  #port = 0;
  #output = "";
  #state: AppState = "stopped";
  #detail: string | undefined;
  /** When the running app was started: it runs the code as it was then. */
  #startedAt = 0;
  readonly #onOutput = new Set<() => void>();
  readonly #onChange = new Set<(status: AppStatus) => void>();

  /** The switch to the exercise opened last, and those before it: one at a time, so no app is left running. */
  #switching: Promise<void> = Promise.resolve();

  /** Runs `exercise`'s app, unless it runs already. Pages opened in quick succession switch in turn. */
  use(exercise: Exercise): Promise<void> {
    this.#switching = this.#switching.then(() => this.#switchTo(exercise)).catch(reportFailedSwitch);
    return this.#switching;
  }

  async #switchTo(exercise: Exercise): Promise<void> {
    if (this.#exercise?.app.slug === exercise.app.slug && this.#child) return;
    await this.stop();
    this.#exercise = exercise;
    this.#port = await freePort();
    this.#output = "";
    this.#spawn(exercise);
  }

  /**
   * Starts the app again with the code as it is now, on the same port: after a save of `exercise` (its grade is
   * out), if its app is the one running, or ended (a crash waits for the next save, as under `tsx watch`).
   */
  restart(exercise: string): Promise<void> {
    this.#switching = this.#switching
      .then(async () => {
        if (this.#exercise?.app.slug !== exercise) return;
        // Started after the last save (its page was opened meanwhile): it runs the saved code already.
        if (this.#child && lastSaved(this.#exercise.app.dir) < this.#startedAt) return;
        await this.stop();
        this.#output = "";
        this.#spawn(this.#exercise);
        void this.address(RESTART_MS);
      })
      .catch(reportFailedSwitch);
    return this.#switching;
  }

  #spawn(exercise: Exercise): void {
    this.#startedAt = Date.now();
    const tsxCli = join(
      dirname(createRequire(join(exercise.app.dir, "package.json")).resolve("tsx/package.json")),
      "dist",
      "cli.mjs",
    );
    const child = spawn(process.execPath, [tsxCli, "src/server.ts"], {
      cwd: exercise.app.dir,
      env: { ...process.env, PORT: String(this.#port), FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that stopping it stops the server tsx started too.
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    this.#child = child;
    running.add(child);
    this.#setState("starting", undefined);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => this.#printed(chunk));
    }
    child.on("exit", () => running.delete(child));
    // Once its output is read to the end too ("close", not "exit"): its last lines are what says why it ended.
    child.on("close", (code, signal) => {
      // Not stopped by the workbook: it crashed, or ended itself. What it printed says why.
      if (this.#child === child) {
        this.#child = undefined;
        this.#setState("ended", howItEnded(code, signal));
      }
    });
  }

  /** Where the app listens, once it does: waits while it starts or restarts (a save), up to `timeoutMs`. */
  async address(timeoutMs: number): Promise<URL | undefined> {
    const deadline = Date.now() + timeoutMs;
    // An app being switched to (its page was just opened) is the one the frame asks for.
    await this.#switching;
    while (this.#child) {
      if (await accepts(this.#port)) {
        // An app stuck in a loop still accepts connections (the system does, for it): it is said to run again
        // only once it answers a request ({@link answered}).
        if (this.#state !== "not-answering") this.#setState("running", undefined);
        return new URL(`http://127.0.0.1:${this.#port}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) break;
      // The next thing the app prints ("Listening on…", an error), or a short while.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#onOutput.add(done);
      });
      this.#onOutput.clear();
    }
    if (this.#child)
      this.#setState("not-answering", `it did not start listening within ${String(Math.round(timeoutMs / 1000))} s`);
    return undefined;
  }

  /** The proxy got an answer from the app: it runs (again, after a request that got none). */
  answered(): void {
    if (this.#child && this.#state !== "running") this.#setState("running", undefined);
  }

  /** The proxy waited in vain for the app to answer a request; `detail` says which and the likely cause. */
  notAnswering(detail: string): void {
    if (this.#child) this.#setState("not-answering", detail);
  }

  get status(): AppStatus {
    return {
      exercise: this.#exercise?.app.slug,
      state: this.#state,
      output: explainPort(this.#output, this.#port),
      detail: this.#detail,
    };
  }

  onChange(listener: (status: AppStatus) => void): () => void {
    this.#onChange.add(listener);
    return () => this.#onChange.delete(listener);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    endGroup(child, "SIGTERM");
    // tsx passes SIGTERM on to the server and waits for it: a server that does not end (one that ignores the
    // signal, or is stuck in a loop) is killed, so the next exercise's app is not kept waiting.
    const kill = setTimeout(() => endGroup(child, "SIGKILL"), STOP_MS);
    await exited;
    clearTimeout(kill);
    this.#setState("stopped", undefined);
  }

  #printed(chunk: string): void {
    this.#output = (this.#output + stripVTControlCharacters(chunk)).slice(-OUTPUT_LIMIT_CHARS);
    for (const listener of this.#onOutput) listener();
  }

  #setState(state: AppState, detail: string | undefined): void {
    if (this.#state === state && this.#detail === detail) return;
    this.#state = state;
    this.#detail = detail;
    for (const listener of this.#onChange) listener(this.status);
  }
}

/** How an app that ended by itself ended, in words: an exit code alone tells a learner little. */
function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `it was ended by the signal ${signal}`;
  if (code === 0)
    return "it ended by itself without an error (exit code 0): something called process.exit(), or nothing kept it running (its server was closed, or never started listening)";
  return `it crashed (exit code ${String(code)})`;
}

/**
 * The app prints where it listens ("Listening on http://localhost:33213"): a port the workbook picked for it, that
 * only the workbook's proxy uses. Said so on that line, so that no learner opens it and wonders where the cookie
 * panel went.
 */
function explainPort(output: string, port: number): string {
  if (port === 0) return output;
  const address = new RegExp(`(?:localhost|127\\.0\\.0\\.1):${String(port)}(?!\\d)`);
  return output
    .split("\n")
    .map((line) =>
      address.test(line)
        ? `${line}  [the workbook's own port for the app: open the app through the workbook, at its own paths]`
        : line,
    )
    .join("\n");
}

/** The apps started and not yet ended: none outlives the workbook, even one ended by an error. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) endGroup(child, "SIGKILL");
});

/** How many apps run now (all exercises together): for tests. */
export function runningApps(): number {
  return running.size;
}

/** Ends tsx and the server it started (its own process group, on macOS and Linux). */
function endGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (process.platform === "win32" || child.pid === undefined) child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** When a file of the app (its `src/`, its package.json) was last saved, in ms since the epoch. */
function lastSaved(appDir: string): number {
  // No src/ to read (being moved, or renamed): the app is started again, to say what it makes of that.
  if (statSync(join(appDir, "src"), { throwIfNoEntry: false })?.isDirectory() !== true) return Infinity;
  const files = [
    join(appDir, "package.json"),
    ...readdirSync(join(appDir, "src"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
  ];
  return Math.max(...files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0));
}

/** A switch that failed (the app could not be spawned) is said in the terminal; the next switch still runs. */
function reportFailedSwitch(error: unknown): void {
  console.error("The workbook could not start the app:", error);
}

/** A port nobody listens on now, from the system. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Whether something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
