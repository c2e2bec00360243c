import { watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
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
  const slots = new Map<string, Slot>(exercises.map((exercise) => [exercise, grading.prepare(exercise, { spare: true })]));
  const watchers: FSWatcher[] = [];
  let queue = Promise.resolve();

  const grade = (exercise: string) => {
    queue = queue.then(async () => {
      const slot = slots.get(exercise)!;
      // The next save gets its own spare, started while this one is graded.
      slots.set(exercise, grading.prepare(exercise, { spare: true }));
      onRun([await grading.grade(target, exercise, slot)]);
    });
    return queue;
  };

  for (const exercise of exercises) await grade(exercise);
  for (const exercise of exercises) {
    let timer: NodeJS.Timeout | undefined;
    const folder = join(dir, exercise);
    const watcher = watch(folder, { recursive: true }, (_event, file) => {
      const name = String(file ?? "").replace(/\\/g, "/");
      if (!name.startsWith("src/") && name !== "src" && name !== "package.json") return;
      clearTimeout(timer);
      timer = setTimeout(() => void grade(exercise), SETTLE_MS);
    });
    watchers.push(watcher);
  }

  return async () => {
    for (const watcher of watchers) watcher.close();
    await queue;
    await Promise.all([...slots.values()].map((slot) => grading.discard(slot)));
    await grading.close();
  };
}
