import { fileURLToPath } from "node:url";
import { startVitest } from "vitest/node";
import { CheckCollector } from "./collector.js";
import { exerciseResult, type ExerciseResult } from "./results.js";
import { TARGETS_ENV, type GradeTarget } from "./shared.js";

/** The grader package's folder: the specs live in its `specs/`. */
export const graderRoot = fileURLToPath(new URL("..", import.meta.url));

/** How long one grading run may take before it is stopped (a learner's infinite loop blocks its worker forever). */
export const DEFAULT_RUN_TIMEOUT_MS = 15_000;

export interface GradingRun {
  readonly targets: readonly GradeTarget[];
  /** Exercise slugs; each is graded by `specs/<slug>.spec.ts`. */
  readonly exercises: readonly string[];
  readonly timeoutMs?: number;
}

/** Every target's grade for every exercise, keyed by target id, in the order asked for. */
export type GradingResults = Map<string, ExerciseResult[]>;

/**
 * Grades exercises of one or more targets in a single vitest run: one startup for all of them. The results never
 * depend on vitest's exit code: a failing app is a grade, and only a run that cannot finish is an error.
 */
export async function runGrading({ targets, exercises, timeoutMs = DEFAULT_RUN_TIMEOUT_MS }: GradingRun): Promise<GradingResults> {
  const started = performance.now();
  const collector = new CheckCollector();
  // The specs read their targets from the environment: vitest's workers inherit it.
  process.env[TARGETS_ENV] = JSON.stringify(targets);

  const run = (async () => {
    const vitest = await startVitest(
      "test",
      exercises.map((slug) => `specs/${slug}.spec.ts`),
      {
        root: graderRoot,
        config: false,
        watch: false,
        include: ["specs/*.spec.ts"],
        reporters: [collector],
        silent: true,
        pool: "threads",
        // One worker per exercise, so a learner's infinite loop in one exercise cannot hold up the others.
        maxWorkers: Math.min(Math.max(exercises.length, 1), 4),
        testTimeout: 10_000,
        hookTimeout: 10_000,
        teardownTimeout: 1_000,
        // Keeps transformed specs and apps on disk between runs (keyed by content): it halves a re-grade.
        experimental: { fsModuleCache: true },
      },
      { logLevel: "silent", clearScreen: false },
    );
    await vitest.close();
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    run.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
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
            ? `Grading stopped after ${timeoutMs / 1000} s: your code never gave control back. Is there a loop that never ends?`
            : (found?.errors[0] ?? (found ? undefined : "The grader could not run this exercise's checks."));
        return exerciseResult(slug, checks, durationMs, error);
      }),
    );
  }
  return results;
}
