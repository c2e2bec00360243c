import { fileURLToPath } from "node:url";
import { startVitest, type CliOptions, type Reporter, type Vitest } from "vitest/node";
import { CheckCollector } from "./collector.js";
import { SuiteTamperedError, manifestDifferences } from "./manifest.js";
import { exerciseResult, type ExerciseResult } from "./results.js";
import { DEFAULT_LIMITS, LIMITS_ENV, TARGETS_ENV, type GradeTarget, type GradingLimits } from "./shared.js";

/** The grader package's folder: the specs live in its `specs/`. */
export const graderRoot = fileURLToPath(new URL("..", import.meta.url));

export interface GradingRun {
  readonly targets: readonly GradeTarget[];
  /** Exercise slugs; each is graded by `specs/<slug>.spec.ts`. */
  readonly exercises: readonly string[];
  readonly limits?: Partial<GradingLimits>;
  /** Called as each target finishes an exercise (for progress in a batch). */
  readonly onExerciseDone?: (target: string, exercise: string) => void;
}

/** Extra time for the first check of a run: vitest's own start, which on a loaded 2-core machine can take seconds. */
const STARTUP_ALLOWANCE_MS = 30_000;

/** The spec that grades an exercise. */
export function specFileOf(slug: string): string {
  return `specs/${slug}.spec.ts`;
}

/** vite's own settings for grading: quiet. */
export const VITE_OPTIONS = { logLevel: "silent" as const, clearScreen: false };

/** How vitest runs the hidden suite: no config file, no output of its own, one worker per exercise. */
export function vitestOptions(limits: GradingLimits, reporters: Reporter[], exerciseCount: number, watch = false): CliOptions {
  return {
    root: graderRoot,
    config: false,
    watch,
    include: ["specs/*.spec.ts"],
    reporters,
    silent: true,
    pool: "threads",
    // Watching, one warm worker re-grades each save (express and supertest stay loaded); the specs reset the
    // learner's modules themselves. A single run isolates each spec file in its own worker.
    isolate: !watch,
    // One worker per exercise, so a learner's infinite loop in one exercise cannot hold up the others.
    maxWorkers: Math.min(Math.max(exerciseCount, 1), 4),
    testTimeout: limits.checkMs,
    hookTimeout: limits.checkMs,
    teardownTimeout: 1_000,
    // Keeps transformed specs and apps on disk between runs (keyed by content): it halves a re-grade.
    experimental: { fsModuleCache: true },
  };
}

/** Every target's grade for every exercise, keyed by target id, in the order asked for. */
export type GradingResults = Map<string, ExerciseResult[]>;

/**
 * Grades exercises of one or more targets in a single vitest run: one startup for all of them. The results never
 * depend on vitest's exit code: a failing app is a grade, and only a run that cannot finish is an error.
 */
export async function runGrading({ targets, exercises, limits: given = {}, onExerciseDone }: GradingRun): Promise<GradingResults> {
  const tampered = manifestDifferences(graderRoot);
  if (tampered.length > 0) throw new SuiteTamperedError(tampered);
  const limits: GradingLimits = { ...DEFAULT_LIMITS, ...given };
  const started = performance.now();
  let stalled: () => void = () => {};
  let watchdog: NodeJS.Timeout | undefined;
  const restartWatchdog = (ms = limits.stallMs) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => stalled(), ms);
  };
  const collector = new CheckCollector(() => restartWatchdog(), onExerciseDone);
  // The specs read their targets and limits from the environment: vitest's workers inherit it.
  process.env[TARGETS_ENV] = JSON.stringify(targets);
  process.env[LIMITS_ENV] = JSON.stringify(limits);

  let vitest: Vitest | undefined;
  const run = (async () => {
    vitest = await startVitest("test", exercises.map(specFileOf), vitestOptions(limits, [collector], exercises.length), VITE_OPTIONS);
    await vitest.close();
  })();
  // Starting vitest and its workers is no learner's loop: on a busy machine it can take a while, so the first
  // stretch gets a generous allowance; each finished check then re-arms the stall limit.
  restartWatchdog(limits.stallMs + STARTUP_ALLOWANCE_MS);
  const timedOut = await Promise.race([run.then(() => false), new Promise<boolean>((resolve) => (stalled = () => resolve(true)))]);
  clearTimeout(watchdog);
  // A worker stuck in a learner's loop would keep a core busy: ending the run terminates its threads. It is awaited
  // (within a bound) so that a next run in this process never overlaps a vitest still shutting down.
  if (timedOut && vitest) {
    await Promise.race([vitest.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }
  const durationMs = Math.round(performance.now() - started);

  const collected = collector.exercises();
  const results: GradingResults = new Map();
  for (const target of targets) {
    results.set(
      target.id,
      exercises.map((slug) => {
        const found = collected.find((entry) => entry.target === target.id && entry.exercise === slug);
        const checks = (found?.checks ?? []).map(({ order: _order, ...check }) => check);
        const error =
          timedOut && !collector.finished(target.id, slug)
            ? `Grading stopped: no check finished for ${limits.stallMs / 1000} s, so your code never gave control back. Is there a loop that never ends?`
            : (found?.errors[0] ?? (found ? undefined : "The grader could not run this exercise's checks."));
        return exerciseResult(slug, checks, durationMs, error);
      }),
    );
  }
  return results;
}
