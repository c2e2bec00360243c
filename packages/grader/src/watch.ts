import { watch, type FSWatcher } from "chokidar";
import { join, relative } from "node:path";
import type { ExerciseResult } from "./results.js";
import { Grading, type GradingOptions, type Slot } from "./run.js";

/** How long a burst of file events (an editor's save writes several) may last before grading starts. */
const SETTLE_MS = 25;

/**
 * Grades the exercises in `dir` once, then again on every save of the one being edited. The grader and its checks
 * stay loaded, and a spare app process per exercise waits with its packages loaded, so a save costs only the
 * learner's own module and the checks. Returns a function that stops watching.
 */
export async function watchExercises(
  dir: string,
  exercises: readonly string[],
  onRun: (results: ExerciseResult[]) => void,
  options: GradingOptions = {},
): Promise<() => Promise<void>> {
  const grading = await Grading.start(options);
  const target = { id: "exercises", dir };
  const slots = new Map<string, Slot>(
    exercises.map((exercise) => [exercise, grading.prepare(exercise, { spare: true })]),
  );
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  // The exercises whose first grade has not started yet: it will read every save made until it does.
  const ungraded = new Set(exercises);
  let queue = Promise.resolve();

  const grade = (exercise: string) => {
    queue = queue
      .then(async () => {
        ungraded.delete(exercise);
        const slot = slots.get(exercise)!;
        // The next save gets its own spare, started while this one is graded.
        slots.set(exercise, grading.prepare(exercise, { spare: true }));
        onRun([await grading.grade(target, exercise, slot)]);
      })
      // One grade that cannot be given (a bug of ours, a file that vanished mid-read) must not end the watching, nor
      // leave the queue rejected so that no later save is graded: say so, and grade the next save as usual.
      .catch((error: unknown) => {
        console.error(
          `Grading ${exercise} failed: ${error instanceof Error ? error.message : String(error)}. Save again to grade it again.`,
        );
      });
    return queue;
  };

  let stopped = false;
  const saved = (exercise: string) => {
    clearTimeout(timers.get(exercise));
    if (stopped) return;
    timers.set(
      exercise,
      setTimeout(() => {
        if (!ungraded.has(exercise)) void grade(exercise);
      }, SETTLE_MS),
    );
  };

  // Watching starts before the first grade, so that a save made while it runs is graded too.
  for (const exercise of exercises) {
    const watcher = watchExercise(join(dir, exercise), exercise, () => saved(exercise));
    watchers.push(watcher);
    await new Promise<void>((resolve) => watcher.once("ready", resolve));
  }
  for (const exercise of exercises) await grade(exercise);

  return async () => {
    stopped = true;
    for (const timer of timers.values()) clearTimeout(timer);
    await Promise.all(watchers.map((watcher) => watcher.close()));
    await queue;
    await Promise.all([...slots.values()].map((slot) => grading.discard(slot)));
    await grading.close();
  };
}

/**
 * Calls `onSave` on every change to the files of an exercise that its grade reads: its src/ tree and its
 * package.json, however the editor saves them (in place, by renaming a new file over the old one, by deleting and
 * creating it), and in subfolders of src/ made later. Node's own recursive fs.watch is not enough: on Linux Node builds
 * it from one watch per file (lib/internal/fs/recursive_watch.js), which stays on the old file when a new one is renamed
 * over it, so no later save of that file was seen. chokidar watches a replaced file again.
 */
function watchExercise(folder: string, exercise: string, onSave: () => void): FSWatcher {
  const watcher = watch(folder, {
    ignoreInitial: true,
    // chokidar's atomic mode holds back a deletion for 100 ms, to report a delete and create as one change: the
    // deleted temporary file of a replace by rename then came after the debounce and graded the save a second time.
    atomic: false,
    // The exercise folder itself is watched too, so that a src/ deleted and made again is seen; its node_modules is not.
    ignored: (path) => !isGradedPath(relative(folder, path)),
  });
  watcher.on("all", (event) => {
    // An empty folder changes no grade; its files, once they come, are events of their own.
    if (event === "add" || event === "change" || event === "unlink") onSave();
  });
  // An error must not end pnpm watch or the workbook: the other files are still watched, and a restart watches all.
  watcher.on("error", (error) => {
    console.warn(
      `Watching ${exercise}: ${error instanceof Error ? error.message : String(error)}. A save may go unnoticed until you restart.`,
    );
  });
  return watcher;
}

/**
 * Files an editor writes beside the one being edited, which change no grade: vim's swap files (`.app.ts.swp`) and the
 * file `4913` it makes to test the folder, backups (`app.ts~`), Emacs's lock (`.#app.ts`) and auto-save (`#app.ts#`)
 * files, JetBrains' and Sublime Text's temporary files. Vim and Emacs write theirs while the learner types, unsaved.
 */
const EDITOR_SCRATCH = /^\..*\.sw[a-px]$|^4913$|~$|^\.#|^#.*#$|___jb_(tmp|old)___$|\.subl.*\.tmp$/;

/** Whether a path relative to an exercise's folder is one its grade reads ("" is the folder itself). */
export function isGradedPath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  if (path === "") return true;
  if (EDITOR_SCRATCH.test(parts.at(-1)!)) return false;
  return parts[0] === "src" || (parts[0] === "package.json" && parts.length === 1);
}
