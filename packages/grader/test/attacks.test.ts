import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GradeReport } from "../src/formats/grade-report.js";
import type { ExerciseResult } from "../src/results.js";
import { COUNT } from "./course.js";
import { fixtureSrc, readFixtures, type Fixture } from "./fixture-source.js";

/**
 * A student who has read the grader's source attacks it through its own submission: the grader's process, its
 * reports, the machine's disk, classmates graded in the same batch. Each attack runs through the CLI, as course CI
 * runs it, in a process of its own (an attack that ends the grader must not end the test), under bubblewrap where
 * it works and under Node's permission model alone (as on macOS and Windows). Each test says what the grade must be
 * and that the side effect did not happen: no process survives, nothing is written outside the app's staging, the
 * report stays as written, a classmate's grade stands.
 *
 * The verdicts alone live in test/fixtures/01-attack-*; here are the side effects.
 */

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const EXERCISE = "01-set-datetime-cookie";
const SOLUTION = join(workspace, "solutions", EXERCISE, "src");
const GRADE_LIMIT_MS = 120_000;
/** The 01-attack fixtures that reach past their own app: a batch proves they harm no classmate. */
const MACHINE_ATTACKS =
  /^01-attack-(ipc-endless-message|ipc-forged-messages|leaks-when-server-closes|loops-after-answer|loops-when-server-closes|pins-socket-buffers|reads-solutions|signals-in-namespace|src-file-and-folder-clash|stops-itself|writes-disk)$/;
/** A test's own limit: one or two grading runs, and the evidence window after them. */
const TEST_MS = 300_000;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-attacks-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Graded {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
  /** The grader did not finish within the limit and was ended by the test. */
  readonly timedOut: boolean;
  /** When the grader's process ended (performance.now()). */
  readonly endedAt: number;
  /** The grader's TMPDIR: every app process it started mentions it. */
  readonly tmp: string;
}

/** TMPDIRs given to graders: short, since a Unix socket's path (deep inside one) holds at most 107 bytes. */
const temporaries: string[] = [];
afterAll(() => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the grader's CLI with a TMPDIR of its own (so that every app process it starts carries it in its command
 * line, and a survivor can be found: see {@link endSurvivors}), in a process group of its own (so that a hanging
 * grader is ended whole).
 */
function grade(args: readonly string[], limitMs = GRADE_LIMIT_MS): Promise<Graded> {
  const tmp = mkdtempSync(join(tmpdir(), "ga-"));
  temporaries.push(tmp);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", TMPDIR: tmp, GITHUB_ACTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, limitMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, timedOut, endedAt: performance.now(), tmp });
    });
  });
}

/** The pids of processes whose command line mentions `marker` (Linux; none elsewhere). */
function processesMentioning(marker: string): number[] {
  if (process.platform !== "linux") return [];
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(join("/proc", pid, "cmdline"), "utf8").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Survivors of a grading run: processes still there 5 s after it ended (an ended process takes a moment to go).
 * They are ended here, so that one failed test leaves nothing running.
 */
async function endSurvivors(marker: string): Promise<number[]> {
  const deadline = performance.now() + 5_000;
  while (processesMentioning(marker).length > 0 && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const survivors = processesMentioning(marker);
  for (const pid of survivors) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  return survivors;
}

/** Waits until `ms` after `since` (performance.now()): the window in which a late attack would have fired. */
async function waitUntil(since: number, ms: number): Promise<void> {
  const left = since + ms - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/** A student folder holding exercise 01 from a folder of sources, or from one app.ts. */
function student(klass: string, name: string, source: { dir: string } | { app: string }): string {
  const src = join(klass, name, "exercises", EXERCISE, "src");
  mkdirSync(src, { recursive: true });
  if ("dir" in source) cpSync(source.dir, src, { recursive: true });
  else writeFileSync(join(src, "app.ts"), source.app);
  return join(klass, name);
}

function fixtureSource(fixture: Fixture | string): { dir: string } {
  return { dir: fixtureSrc(fixture) };
}

function readReport(path: string): GradeReport {
  return JSON.parse(readFileSync(path, "utf8")) as GradeReport;
}

function exercise01(report: GradeReport): ExerciseResult {
  return report.exercises.find((result) => result.id === EXERCISE)!;
}

function failingIds(result: ExerciseResult): string[] {
  return result.checks
    .filter((check) => check.status === "failed")
    .map((check) => check.id)
    .sort();
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** An RFC 4180 CSV, read back into rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const MODES = [
  { name: "under bubblewrap (where it works)", flags: [] as string[] },
  { name: "under the permission model alone", flags: ["--no-bubblewrap"] },
] as const;

describe.each(MODES)("attacks on the grader, $name", ({ flags }) => {
  let mode: string;
  beforeAll(() => {
    mode = mkdtempSync(join(root, flags.length === 0 ? "bwrap-" : "plain-"));
  });

  it(
    "the attacks on the machine, graded in one batch, reach their verdicts, and a classmate beside them keeps hers",
    { timeout: TEST_MS },
    async () => {
      const klass = join(mode, "fixture-class");
      // The attacks that reach past their own app (its process, the control channel, the disk, the kernel) are the
      // ones a classmate could suffer from; the rest attack a verdict alone, which fixtures.test.ts proves. Memory,
      // forged control lines and escape codes have tests of their own below.
      const attacks = (await readFixtures()).filter(({ name }) => MACHINE_ATTACKS.test(name));
      // A renamed fixture must not drop out of the batch unseen.
      expect(attacks).toHaveLength(MACHINE_ATTACKS.source.split("|").length);
      for (const fixture of attacks) student(klass, fixture.name, fixtureSource(fixture));
      student(klass, "zz-ada", { dir: SOLUTION });
      const out = join(mode, "fixture-out");
      // One fixture pushes 600 MB through its control channel while loading: on a loaded machine that takes a while.
      const run = await grade(
        ["grade", "--submissions", klass, "--out", out, "--check-timeout", "60000", ...flags],
        240_000,
      );
      const survivors = await endSurvivors(run.tmp);

      expect(run.timedOut, run.err).toBe(false);
      expect(run.code, run.err.slice(-3000)).toBe(0);
      expect(survivors).toEqual([]);
      // Each attack's verdict and messages are fixtures.test.ts's to prove; here, that a batch reaches the same status.
      for (const { name, expected } of attacks) {
        expect({ name, status: exercise01(readReport(join(out, `${name}.json`))).status }).toEqual({
          name,
          status: expected.status,
        });
      }
      const ada = exercise01(readReport(join(out, "zz-ada.json")));
      expect(ada.status, JSON.stringify(ada.checks.filter((check) => check.status !== "passed"))).toBe("passed");
    },
  );

  it(
    "a forged control message (not JSON, or Node's own NODE_HANDLE_ACK) neither crashes the grader nor costs a classmate her grade",
    { timeout: TEST_MS },
    async () => {
      const klass = join(mode, "ipc-class");
      student(klass, "ada", { dir: SOLUTION });
      student(klass, "mallory-ack", fixtureSource("01-attack-ipc-internal-message"));
      student(klass, "mallory-json", fixtureSource("01-attack-ipc-not-json"));
      const out = join(mode, "ipc-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out, ...flags]);
      expect(await endSurvivors(run.tmp)).toEqual([]);

      expect(run.code, run.err.slice(-2000)).toBe(0);
      const rows = parseCsv(readFileSync(join(out, "gradebook.csv"), "utf8"));
      expect(rows.map((row) => row[0])).toEqual(["student", "ada", "mallory-ack", "mallory-json"]);
      expect(exercise01(readReport(join(out, "ada.json"))).status).toBe("passed");
      for (const mallory of ["mallory-ack", "mallory-json"])
        expect(failingIds(exercise01(readReport(join(out, `${mallory}.json`))))).toEqual(["01.sets-cookie"]);
    },
  );

  it.each([
    ["kills its parent", "process.kill(process.ppid, 'SIGKILL');"],
    ["kills its parent's process group", "process.kill(-process.ppid, 'SIGKILL');"],
    ["stops its parent", "process.kill(process.ppid, 'SIGSTOP');"],
  ])(
    "an app that %s (the grader, without a PID namespace) neither ends nor stops grading, and nothing it started survives",
    { timeout: TEST_MS },
    async (label, attack) => {
      const klass = join(mode, `signal-class-${label.replace(/\W+/g, "-")}`);
      student(klass, "ada", { dir: SOLUTION });
      student(klass, "mallory", {
        app: `import express from "express";
// Only where the parent is not bubblewrap's pid 1: there, pid 1 and -1 would be the machine's.
const attack = () => { try { if (process.ppid > 1) { ${attack} } } catch {} };
export function createApp() {
  const app = express();
  app.get("/", (_req, res) => { attack(); res.send("<!doctype html><title>Home</title><p>Welcome</p>"); });
  return app;
}
`,
      });
      const out = join(mode, `signal-out-${label.replace(/\W+/g, "-")}`);
      const run = await grade(["grade", "--submissions", klass, "--out", out, ...flags]);
      const survivors = await endSurvivors(run.tmp);

      expect({ timedOut: run.timedOut, signal: run.signal, code: run.code }, run.err.slice(-2000)).toEqual({
        timedOut: false,
        signal: null,
        code: 0,
      });
      expect(survivors, "app processes left running after the grader ended").toEqual([]);
      expect(exercise01(readReport(join(out, "ada.json"))).status).toBe("passed");
      expect(failingIds(exercise01(readReport(join(out, "mallory.json"))))).toEqual(["01.sets-cookie"]);
    },
  );

  it(
    "an app cannot create a socket outside its own sock/ folder, nor take the socket a classmate's app is about to listen on",
    { timeout: TEST_MS },
    async () => {
      const klass = join(mode, "squat-class");
      const canary = join(mode, "squat-canary");
      mkdirSync(canary);
      student(klass, "aaa-mallory", {
        app: `import express from "express";
import { Server } from "node:net";
import { join } from "node:path";
const here = process.cwd();
const taken = new Set<string>();
const bind = (path: string) => {
  if (taken.has(path)) return;
  const server = new Server();
  server.on("error", () => {});
  try { (server as any)._listen2(path, -1, -1, 511); taken.add(path); } catch {}
};
const squat = () => {
  bind(${JSON.stringify(join(canary, "outside.sock"))});
  // The classmates' staging folders are numbered beside this one: take each socket they will listen on.
  for (let n = 1; n <= 12; n++) for (let k = 1; k <= 30; k++) {
    const path = join(here, "..", String(n), "sock", k + ".sock");
    if (!path.startsWith(here + "/")) bind(path);
  }
};
squat();
setInterval(squat, 20);
export function createApp() {
  const app = express();
  app.get("/", (_req, res) => { res.send("<!doctype html><title>Home</title><p>Welcome</p>"); });
  return app;
}
`,
      });
      student(klass, "bob", { dir: SOLUTION });
      student(klass, "cy", { dir: SOLUTION });
      const out = join(mode, "squat-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out, ...flags]);
      expect(await endSurvivors(run.tmp)).toEqual([]);

      expect(run.code, run.err.slice(-2000)).toBe(0);
      expect(readdirSync(canary), "files the app created outside its staging").toEqual([]);
      for (const classmate of ["bob", "cy"]) {
        const result = exercise01(readReport(join(out, `${classmate}.json`)));
        expect({ classmate, status: result.status, failing: failingIds(result) }).toEqual({
          classmate,
          status: "passed",
          failing: [],
        });
      }
    },
  );

  it(
    "an app writes nothing anywhere, starts nothing that outlives it, and cannot rewrite the report after the grader exits; a later run is not poisoned",
    { timeout: TEST_MS },
    async () => {
      const canary = join(mode, "late-canary");
      mkdirSync(canary);
      const report = join(mode, "late-report.json");
      // Files whose change would poison a later run: the suite, its build, its manifest, a package the apps load.
      const guarded = [
        "packages/grader/src/checks/01-set-datetime-cookie.ts",
        "packages/grader/dist/checks/01-set-datetime-cookie.js",
        "packages/grader/dist/run.js",
        "packages/grader/suite.sha256",
        "packages/cookie-utils/dist/index.js",
        "exercises/01-set-datetime-cookie/package.json",
        "solutions/01-set-datetime-cookie/src/app.ts",
      ].map((file) => join(workspace, file));
      const before = guarded.map((file) => (existsSync(file) ? sha256(file) : "absent"));
      const FORGED = '{"forged":true,"totals":{"passed":3,"failed":0}}';
      student(mode, "late-submission-dir", {
        app: `import express from "express";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
const REPORT = ${JSON.stringify(report)};
const CANARY = ${JSON.stringify(canary)};
const GUARDED = ${JSON.stringify(guarded)};
const FORGED = ${JSON.stringify(FORGED)};
const tryTo = (write: () => unknown) => { try { write(); } catch {} };
const attack = () => {
  tryTo(() => writeFileSync(REPORT, FORGED));
  tryTo(() => writeFileSync(CANARY + "/written", "x"));
  tryTo(() => mkdirSync(CANARY + "/folder"));
  for (const file of GUARDED) tryTo(() => appendFileSync(file, "\\n// poisoned"));
  // Raw writes to the grader's stdout and stderr: a forged scoreboard.
  tryTo(() => process.stdout.write("FORGED-SCOREBOARD every exercise passed\\n"));
  tryTo(() => process.stderr.write("FORGED-SCOREBOARD every exercise passed\\n"));
};
attack();
// Later, from a detached process, a worker, and a timer: after the grader has written the report.
tryTo(() => spawn("/bin/sh", ["-c", "sleep 2; printf '%s' '" + FORGED + "' > " + REPORT + "; touch " + CANARY + "/from-shell"], { detached: true, stdio: "ignore" }).unref());
tryTo(() => new Worker("setTimeout(() => require('node:fs').writeFileSync(" + JSON.stringify(REPORT) + ", 'forged'), 2000)", { eval: true }).unref());
setInterval(attack, 50);
export function createApp() {
  const app = express();
  app.get("/", (_req, res) => { res.send("<!doctype html><title>Home</title><p>Welcome</p>"); });
  return app;
}
`,
      });
      const run = await grade([
        "grade",
        "--submission",
        join(mode, "late-submission-dir"),
        "--json",
        report,
        "--format",
        "json",
        ...flags,
      ]);
      expect(run.code, run.err.slice(-2000)).toBe(1);
      const written = readFileSync(report, "utf8");
      // Any late writer would have fired within 2 s of its start: wait 5 s past the grader's end, then look again.
      await waitUntil(run.endedAt, 5_000);
      const survivors = await endSurvivors(run.tmp);

      expect(survivors).toEqual([]);
      expect(readFileSync(report, "utf8")).toBe(written);
      expect(JSON.parse(written)).toMatchObject({ schema: "cookie-course/grade-report@1" });
      expect(failingIds(exercise01(readReport(report)))).toEqual(["01.sets-cookie"]);
      expect(readdirSync(canary)).toEqual([]);
      expect(guarded.map((file) => (existsSync(file) ? sha256(file) : "absent"))).toEqual(before);
      // stdout is the report alone, whatever the app printed.
      expect(JSON.parse(run.out)).toMatchObject({ schema: "cookie-course/grade-report@1" });
      // What the app printed is kept in the report (output), never passed through.
      expect(
        [...run.out.split("\n"), ...run.err.split("\n")].filter((line) => line.startsWith("FORGED-SCOREBOARD")),
      ).toEqual([]);

      // The next run, of the solution, is not poisoned.
      const next = join(mode, "late-next");
      student(mode, "late-next", { dir: SOLUTION });
      const again = await grade(["grade", "--submission", next, "--json", join(mode, "late-next.json"), ...flags]);
      expect(await endSurvivors(again.tmp)).toEqual([]);
      expect(again.code).toBe(1); // The exercises after 01 are missing.
      expect(exercise01(readReport(join(mode, "late-next.json"))).status).toBe("passed");
    },
  );

  it(
    "an app that allocates gigabytes (Buffers, and a growing array) is ended for it, and a classmate beside it keeps her grade",
    { timeout: TEST_MS },
    async () => {
      const klass = join(mode, "memory-class");
      student(klass, "ada", { dir: SOLUTION });
      student(klass, "mallory-buffers", fixtureSource("01-attack-allocates-buffers"));
      student(klass, "mallory-array", fixtureSource("01-attack-grows-array"));
      const out = join(mode, "memory-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out, ...flags]);
      expect(await endSurvivors(run.tmp)).toEqual([]);

      expect(run.code, run.err.slice(-2000)).toBe(0);
      expect(exercise01(readReport(join(out, "ada.json"))).status).toBe("passed");
      expect(exercise01(readReport(join(out, "mallory-buffers.json"))).error).toContain("more than 512 MB");
      expect(failingIds(exercise01(readReport(join(out, "mallory-array.json"))))).toEqual(["01.sets-cookie"]);
    },
  );
});

describe("attacks on the submission's files", () => {
  it(
    "a submission whose exercises/ folder is a symbolic link (to the solutions) is never followed",
    { timeout: TEST_MS },
    async () => {
      const submission = join(root, "linked-exercises");
      mkdirSync(submission);
      symlinkSync(join(workspace, "solutions"), join(submission, "exercises"));
      const report = join(root, "linked-exercises.json");
      const run = await grade(["grade", "--submission", submission, "--json", report]);
      await endSurvivors(run.tmp);

      expect(run.code).toBe(1);
      const graded = readReport(report);
      expect(graded.totals).toMatchObject({ passed: 0, score: 0 });
      for (const result of graded.exercises) expect(result.error).toContain("symbolic link");
    },
  );

  it(
    "in a batch, a student whose exercises/ is a relative link to a classmate's gets nothing of hers",
    { timeout: TEST_MS },
    async () => {
      const klass = join(root, "copycat-class");
      student(klass, "ada", { dir: SOLUTION });
      mkdirSync(join(klass, "mallory"));
      symlinkSync(join("..", "ada", "exercises"), join(klass, "mallory", "exercises"));
      const out = join(root, "copycat-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out]);
      await endSurvivors(run.tmp);

      expect(run.code).toBe(0);
      expect(exercise01(readReport(join(out, "ada.json"))).status).toBe("passed");
      const mallory = exercise01(readReport(join(out, "mallory.json")));
      expect({ score: mallory.score, error: mallory.error }).toEqual({
        score: 0,
        error: expect.stringContaining("symbolic link") as unknown,
      });
    },
  );

  it(
    "a source file whose name is not UTF-8 is left out and named, and does not stop the batch",
    { timeout: TEST_MS },
    async () => {
      const klass = join(root, "bytes-class");
      student(klass, "ada", { dir: SOLUTION });
      const mallory = student(klass, "mallory", { dir: SOLUTION });
      // Linux file names are bytes: 0xff is no UTF-8, and Node reads it back as U+FFFD, a name that does not exist.
      const src = Buffer.from(join(mallory, "exercises", EXERCISE, "src"));
      writeFileSync(Buffer.concat([src, Buffer.from("/"), Buffer.from([0xff]), Buffer.from(".ts")]), "export {};\n");
      const out = join(root, "bytes-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out]);
      await endSurvivors(run.tmp);

      expect(run.code, run.err.slice(-2000)).toBe(0);
      expect(exercise01(readReport(join(out, "ada.json"))).status).toBe("passed");
      const graded = exercise01(readReport(join(out, "mallory.json")));
      expect(graded.status).toBe("passed");
      expect(graded.ignored?.join()).toContain("src/");
    },
  );

  it(
    "student folders named with spaces, a newline, a leading - or =, or node_modules are graded like any other and escaped in CSV and Markdown",
    { timeout: TEST_MS },
    async () => {
      const klass = join(root, "names-class");
      const names = ["ada lovelace", "bob\nsmith", "-cy", "=SUM(A1)", "dee_node_modules", "node_modules"];
      for (const name of names) student(klass, name, { dir: SOLUTION });
      const out = join(root, "names-out");
      const run = await grade(["grade", "--submissions", klass, "--out", out]);
      await endSurvivors(run.tmp);

      expect(run.code, run.err.slice(-2000)).toBe(0);
      const rows = parseCsv(readFileSync(join(out, "gradebook.csv"), "utf8"));
      const shown = (name: string) => (/^[=+\-@]/.test(name) ? `'${name}` : name);
      expect(
        rows
          .slice(1)
          .map((row) => row[0])
          .sort(),
      ).toEqual(names.map(shown).sort());
      // Each of them hands in the solution of 01: each gets its full marks, whatever the folder is called.
      for (const name of names) {
        const graded = exercise01(readReport(join(out, `${name}.json`)));
        expect(graded.status, name).toBe("passed");
      }
      const full = rows[1]![1];
      for (const row of rows.slice(1)) expect(row[1], row[0]).toBe(full);
      // One table row per student: a name cannot end a row, or start one of its own.
      const markdown = readFileSync(join(out, "gradebook.md"), "utf8");
      const tableRows = markdown.split("\n").filter((line) => line.startsWith("|"));
      expect(tableRows).toHaveLength(2 + names.length);
      for (const line of tableRows.slice(2)) expect(line).toMatch(/\| \d+\/\d+ \| \d+\.\d% \|$/);
    },
  );
});

describe("attacks on what the grader prints", () => {
  it(
    "an app's page of terminal escape codes, quoted in a failure message, reaches the scoreboard without a single escape code",
    { timeout: TEST_MS },
    async () => {
      const submission = student(
        join(root, "escape-class"),
        "mallory",
        fixtureSource("01-attack-escape-codes-in-page"),
      );
      const run = await grade(["grade", "--submission", submission]);
      await endSurvivors(run.tmp);

      expect(run.code).toBe(1);
      expect(run.out).toContain("GET / crashed (status 500)");
      // FORCE_COLOR=0: the grader prints no escape code of its own, so any is the app's.
      // eslint-disable-next-line no-control-regex
      expect(run.out.match(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g) ?? []).toEqual([]);
    },
  );

  it(
    "an error message that closes the Markdown fence stays inside the fence of the --format markdown report",
    { timeout: TEST_MS },
    async () => {
      const submission = student(join(root, "markdown-class"), "mallory", fixtureSource("01-attack-breaks-markdown"));
      const run = await grade(["grade", "--submission", submission, "--format", "markdown"]);
      await endSurvivors(run.tmp);

      expect(run.code).toBe(1);
      // CommonMark: a fence closes on a line of at least as many backticks as opened it, and nothing else.
      const outside: string[] = [];
      let fence: number | undefined;
      for (const line of run.out.split("\n")) {
        const trimmed = line.trim();
        if (fence === undefined) {
          const opening = /^(`{3,})/.exec(trimmed);
          if (opening) fence = opening[1]!.length;
          else outside.push(trimmed);
        } else if (new RegExp(`^\`{${fence},}$`).test(trimmed)) fence = undefined;
      }
      const headings = outside.filter((line) => line.startsWith("## Cookie course"));
      expect(headings).toHaveLength(1);
      expect(headings[0]).toMatch(new RegExp(`^## Cookie course: 0/${COUNT} exercises passed`));
    },
  );

  it(
    "an app answering 500 with a megabyte of '<' is graded in bounded time (the failure message's excerpt is linear)",
    { timeout: TEST_MS },
    async () => {
      const submission = student(join(root, "regex-class"), "mallory", {
        app: `import express from "express";
export function createApp() {
  const app = express();
  app.get("/", (_req, res) => { res.status(500).type("html").send("<".repeat(1_000_000)); });
  return app;
}
`,
      });
      const started = performance.now();
      const run = await grade(["grade", "--submission", submission, "--format", "json"]);
      await endSurvivors(run.tmp);

      expect(run.timedOut, "the grader was still running after 120 s").toBe(false);
      expect(run.endedAt - started).toBeLessThan(60_000);
      expect(failingIds(exercise01(JSON.parse(run.out) as GradeReport))).toEqual(["01.sets-cookie"]);
    },
  );
});
