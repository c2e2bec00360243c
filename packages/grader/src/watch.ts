import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from "vitest/node";
import { join } from "node:path";
import { startVitest } from "vitest/node";
import { CheckCollector } from "./collector.js";
import { SuiteTamperedError, manifestDifferences } from "./manifest.js";
import { exerciseResult, type ExerciseResult } from "./results.js";
import { VITE_OPTIONS, graderRoot, specFileOf, vitestOptions } from "./run.js";
import { DEFAULT_LIMITS, LIMITS_ENV, TARGETS_ENV, type GradingLimits } from "./shared.js";

/** Collects each watch run afresh and hands its grades over when the run ends. */
class WatchReporter implements Reporter {
  #collector = new CheckCollector();
  #started = performance.now();
  #watchdog: NodeJS.Timeout | undefined;
  readonly #onRun: (results: ExerciseResult[]) => void;
  readonly #stallMs: number;

  constructor(onRun: (results: ExerciseResult[]) => void, stallMs: number) {
    this.#onRun = onRun;
    this.#stallMs = stallMs;
  }

  onTestRunStart(): void {
    this.#collector = new CheckCollector();
    this.#started = performance.now();
    this.#restartWatchdog();
  }

  onTestCaseResult(testCase: TestCase): void {
    this.#restartWatchdog();
    this.#collector.onTestCaseResult(testCase);
  }

  /**
   * A learner's infinite loop blocks the worker for good, and a watcher cannot re-run it: say so, and stop, so
   * the learner is not left looking at a silent terminal.
   */
  #restartWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      console.error(
        `\nNo check finished for ${this.#stallMs / 1000} s: your code never gave control back. Is there a loop that never ends?` +
          "\nFix it, then start pnpm watch again.",
      );
      process.exit(1);
    }, this.#stallMs);
  }

  onTestSuiteResult(testSuite: TestSuite): void {
    this.#collector.onTestSuiteResult(testSuite);
  }

  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    clearTimeout(this.#watchdog);
    this.#collector.onTestRunEnd(testModules, unhandledErrors);
    const durationMs = Math.round(performance.now() - this.#started);
    this.#onRun(
      this.#collector.exercises().map((found) =>
        exerciseResult(
          found.exercise,
          found.checks.map(({ order: _order, ...check }) => check),
          durationMs,
          found.errors[0],
        ),
      ),
    );
  }
}

/**
 * Grades the exercises in `dir` once, then again on every save: vitest's watch mode keeps the grader warm and
 * re-runs only the spec whose exercise changed (its app is in that spec's module graph).
 */
export async function watchExercises(
  dir: string,
  exercises: readonly string[],
  onRun: (results: ExerciseResult[]) => void,
  given: Partial<GradingLimits> = {},
): Promise<Vitest> {
  const tampered = manifestDifferences(graderRoot);
  if (tampered.length > 0) throw new SuiteTamperedError(tampered);
  const limits: GradingLimits = { ...DEFAULT_LIMITS, ...given };
  process.env[TARGETS_ENV] = JSON.stringify([{ id: "exercises", dir }]);
  process.env[LIMITS_ENV] = JSON.stringify(limits);
  const options = vitestOptions(limits, [new WatchReporter(onRun, limits.stallMs)], exercises.length, true);
  // A save anywhere in exercises/<slug>/ re-runs that exercise's spec (the app lives outside vitest's root).
  options.watchTriggerPatterns = exercises.map((slug) => ({
    pattern: new RegExp(`[\\\\/]${escapeRegExp(slug)}[\\\\/](src[\\\\/]|package\\.json$)`),
    testsToRun: () => join(graderRoot, specFileOf(slug)),
  }));
  const vitest = await startVitest("test", exercises.map(specFileOf), options, VITE_OPTIONS);
  // vite watches its root (the grader) only: add the exercises' folders.
  vitest.vite.watcher.add(exercises.map((slug) => join(dir, slug, "src")));
  return vitest;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
