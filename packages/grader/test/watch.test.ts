import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExerciseResult } from "../src/results.js";
import { isGradedPath, watchExercises } from "../src/watch.js";

const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const SLUG = "02-read-last-visit";
const STARTER = readFileSync(join(workspace, "exercises", SLUG, "src", "app.ts"), "utf8");
const SOLUTION = readFileSync(join(workspace, "solutions", SLUG, "src", "app.ts"), "utf8");
/** Generous: a grade takes about a second, but the machine may be a loaded 2-core one. */
const GRADE_LIMIT_MS = 45_000;
const TEST_LIMIT_MS = 180_000;

type Status = ExerciseResult["status"];
type Waiter = { status: Status; resolve: () => void };

let dir: string;
let app: string;
let runs: Status[];
let waiters: Waiter[];
let stop: (() => Promise<void>) | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "grader-watch-"));
  cpSync(join(workspace, "exercises", SLUG, "src"), join(dir, SLUG, "src"), { recursive: true });
  app = join(dir, SLUG, "src", "app.ts");
  runs = [];
  waiters = [];
});

afterEach(async () => {
  await stop?.();
  stop = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts watching this test's exercise (and `others`, graded after it); the first grades are done when it returns.
 * `afterFirstGrade` runs the moment the exercise's first grade is in, while the others' first grades are still to come.
 */
async function startWatching({
  others = [],
  afterFirstGrade,
  afterGrade,
}: { others?: string[]; afterFirstGrade?: () => void; afterGrade?: () => void } = {}): Promise<void> {
  for (const other of others)
    cpSync(join(workspace, "exercises", other, "src"), join(dir, other, "src"), { recursive: true });
  stop = await watchExercises(dir, [SLUG, ...others], (results) => {
    const status = results.find((result) => result.id === SLUG)?.status;
    if (status === undefined) return;
    runs.push(status);
    if (runs.length === 1) afterFirstGrade?.();
    for (const waiter of waiters.filter((waiter) => waiter.status === status)) waiter.resolve();
    waiters = waiters.filter((waiter) => waiter.status !== status);
    afterGrade?.();
  });
}

/** The next grade of the exercise that says `status`; no such grade in time means the watcher missed a save. */
function nextGrade(status: Status, how: string): Promise<void> {
  let limit: NodeJS.Timeout | undefined;
  const graded = new Promise<void>((resolve, reject) => {
    waiters.push({ status, resolve });
    limit = setTimeout(
      () =>
        reject(
          new Error(
            `No grade "${status}" within ${GRADE_LIMIT_MS / 1000} s of ${how}: the watcher missed the save (grades so far: ${runs.join(", ")}).`,
          ),
        ),
      GRADE_LIMIT_MS,
    );
  });
  return graded.finally(() => clearTimeout(limit));
}

/**
 * Saves the way `save` does, and waits for the grade that says `status`. Each save in these tests flips the
 * exercise between failed and passed, so a grade with that status can only come from this save: a grade left over
 * from the save before (an editor's save is several file events) cannot answer for it.
 */
async function saveAndAwaitGrade(how: string, status: Status, save: () => void): Promise<void> {
  const graded = nextGrade(status, how);
  save();
  await graded;
}

/** How `sed -i`, Emacs, gedit and JetBrains' "safe write" save: a new file renamed over the old one. */
function replaceByRename(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe("watchExercises(dir, exercises, onRun)", () => {
  it(
    "grades the exercise, then grades it again when a file is saved",
    async () => {
      await startWatching();
      expect(runs).toEqual(["failed"]);

      // Saving the solution's app over the starter's: the watcher grades again, and now it passes.
      await saveAndAwaitGrade("a write in place", "passed", () => writeFileSync(app, SOLUTION));
    },
    TEST_LIMIT_MS,
  );

  it(
    "goes on grading saves after a grade that could not be given",
    async () => {
      // The second grade fails in the watcher's hands (here, in what it calls with the grade).
      await startWatching({
        afterGrade: () => {
          if (runs.length === 2) throw new Error("a grade that cannot be given");
        },
      });
      await saveAndAwaitGrade("the save whose grade fails", "passed", () => writeFileSync(app, SOLUTION));
      await saveAndAwaitGrade("the save after it", "failed", () => writeFileSync(app, STARTER));
      expect(runs).toEqual(["failed", "passed", "failed"]);
    },
    TEST_LIMIT_MS,
  );

  it(
    "grades a save made while the other exercises' first grades still run",
    async () => {
      const graded = nextGrade("passed", "a save made during the first grades");
      await startWatching({ others: ["01-set-datetime-cookie"], afterFirstGrade: () => writeFileSync(app, SOLUTION) });
      await graded;
      expect(runs).toEqual(["failed", "passed"]);
    },
    TEST_LIMIT_MS,
  );

  it(
    "grades a save that replaces the file by rename, and every save of that file after it",
    async () => {
      await startWatching();

      await saveAndAwaitGrade("a replace by rename", "passed", () => replaceByRename(app, SOLUTION));
      // Node's recursive fs.watch on Linux lost the file here: it watched the old file, which the rename removed.
      await saveAndAwaitGrade("a write in place after the replace", "failed", () => writeFileSync(app, STARTER));
      await saveAndAwaitGrade("a second replace by rename", "passed", () => replaceByRename(app, SOLUTION));
      await saveAndAwaitGrade("a second write in place", "failed", () => writeFileSync(app, STARTER));
    },
    TEST_LIMIT_MS,
  );

  it(
    "grades a save that deletes the file and creates it again, and the saves after it",
    async () => {
      await startWatching();

      await saveAndAwaitGrade("a delete and create", "passed", () => {
        rmSync(app);
        writeFileSync(app, SOLUTION);
      });
      await saveAndAwaitGrade("a write in place after the delete and create", "failed", () =>
        writeFileSync(app, STARTER),
      );
    },
    TEST_LIMIT_MS,
  );

  it(
    "grades a save of a file in a subfolder of src/ made after watching started",
    async () => {
      await startWatching();
      const lib = join(dir, SLUG, "src", "lib");
      const moved = join(lib, "app.ts");
      // The app moves to src/lib/app.ts (its relative imports one folder up); src/app.ts only re-exports it.
      const inLib = (text: string) => text.replaceAll('from "./', 'from "../');

      await saveAndAwaitGrade("a new file in a new subfolder", "passed", () => {
        mkdirSync(lib);
        writeFileSync(moved, inLib(SOLUTION));
        writeFileSync(app, 'export { createApp } from "./lib/app.js";\n');
      });
      // Only the file in the new subfolder changes now.
      await saveAndAwaitGrade("a write in place in the new subfolder", "failed", () =>
        writeFileSync(moved, inLib(STARTER)),
      );
      await saveAndAwaitGrade("a replace by rename in the new subfolder", "passed", () =>
        replaceByRename(moved, inLib(SOLUTION)),
      );
    },
    TEST_LIMIT_MS,
  );
});

describe("isGradedPath(path)", () => {
  it("takes the exercise folder, its package.json and everything in src/, however deep, with either separator", () => {
    for (const path of ["", "package.json", "src", "src/app.ts", "src/lib/visit.ts", "src\\lib\\visit.ts"]) {
      expect(isGradedPath(path), path).toBe(true);
    }
  });

  it("leaves out node_modules, files beside src/ and an editor's scratch files", () => {
    const scratch = [
      "src/.app.ts.swp",
      "src/.app.ts.swx",
      "src/4913",
      "src/app.ts~",
      "src/.#app.ts",
      "src/#app.ts#",
      "src/app.ts___jb_tmp___",
      "src/app.ts___jb_old___",
    ];
    for (const path of [
      "node_modules/express/index.js",
      "README.md",
      "tsconfig.json",
      "lib/package.json",
      ...scratch,
    ]) {
      expect(isGradedPath(path), path).toBe(false);
    }
  });
});
