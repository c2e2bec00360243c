import { basename } from "node:path";
import type { Reporter, TestCase, TestModule, TestSuite } from "vitest/node";
import type { CheckMeta } from "./shared.js";
import type { CheckResult } from "./results.js";

/** Checks collected for one exercise of one target. */
export interface CollectedExercise {
  readonly target: string;
  readonly exercise: string;
  readonly checks: OrderedCheckResult[];
  /** Errors outside any check: the spec could not load, or the app threw between requests. */
  readonly errors: string[];
}

/**
 * A vitest reporter that prints nothing and turns each finished check into a {@link CheckResult}, grouped by target
 * and exercise. It reads what the checks left in their meta, so a failure message is the check's own teaching text,
 * never a stack trace.
 */
export class CheckCollector implements Reporter {
  readonly #exercises = new Map<string, CollectedExercise>();
  readonly #finished = new Set<string>();
  readonly #onProgress: () => void;
  readonly #onExerciseDone: (target: string, exercise: string) => void;

  /**
   * @param onProgress called whenever a check finishes: the run's stall watchdog listens.
   * @param onExerciseDone called when a target's checks for an exercise have all run.
   */
  constructor(onProgress: () => void = () => {}, onExerciseDone: (target: string, exercise: string) => void = () => {}) {
    this.#onProgress = onProgress;
    this.#onExerciseDone = onExerciseDone;
  }

  exercises(): CollectedExercise[] {
    return [...this.#exercises.values()];
  }

  /** Whether every check of this target's exercise has run (false while a learner's loop blocks it). */
  finished(target: string, exercise: string): boolean {
    return this.#finished.has(`${target}\n${exercise}`);
  }

  /** A spec file began to run: progress, for the stall watchdog. */
  onTestModuleStart(): void {
    this.#onProgress();
  }

  onTestSuiteResult(testSuite: TestSuite): void {
    // Each target is one describe() named after it, in the spec of its exercise.
    this.#finished.add(`${testSuite.name}\n${exerciseOf(testSuite.module)}`);
    this.#onExerciseDone(testSuite.name, exerciseOf(testSuite.module));
  }

  onTestCaseResult(testCase: TestCase): void {
    this.#onProgress();
    const meta = testCase.meta().check;
    if (!meta) return;
    const { checks } = this.#exercise(meta.target, exerciseOf(testCase.module));
    checks.push(toCheckResult(testCase, meta));
    // vitest reports skipped tests last; the learner reads checks in the order they are defined.
    checks.sort((a, b) => a.order - b.order);
  }

  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    for (const module of testModules) {
      const moduleErrors = module.errors().map((error) => error.message);
      if (moduleErrors.length === 0) continue;
      for (const exercise of this.#exercises.values()) {
        if (exercise.exercise === exerciseOf(module)) exercise.errors.push(...moduleErrors);
      }
    }
    for (const error of unhandledErrors) {
      const text = firstLine(error);
      const exit = /process\.exit unexpectedly called with "?([^"]*)"?/.exec(text);
      const message = exit
        ? `Your code called process.exit(${exit[1]}): an app must never end the process it runs in.`
        : `Your code threw outside of any request: ${text}`;
      const path = (error as { VITEST_TEST_PATH?: string }).VITEST_TEST_PATH;
      for (const exercise of this.#exercises.values()) {
        if (path === undefined || basename(path).startsWith(exercise.exercise)) exercise.errors.push(message);
      }
    }
  }

  #exercise(target: string, exercise: string): CollectedExercise {
    const key = `${target}\n${exercise}`;
    let found = this.#exercises.get(key);
    if (!found) {
      found = { target, exercise, checks: [], errors: [] };
      this.#exercises.set(key, found);
    }
    return found;
  }
}

type OrderedCheckResult = CheckResult & { readonly order: number };

function toCheckResult(testCase: TestCase, meta: CheckMeta): OrderedCheckResult {
  const result = testCase.result();
  const status = result.state === "passed" ? "passed" : result.state === "skipped" ? "skipped" : "failed";
  const message =
    status === "passed"
      ? undefined
      : (meta.message ?? (result.state === "skipped" ? result.note : firstLine(result.errors?.[0])) ?? "The check did not finish.");
  return {
    order: meta.order,
    id: meta.checkId,
    name: testCase.name,
    exercise: meta.exercise,
    status,
    points: status === "passed" ? meta.points : 0,
    maxPoints: meta.points,
    visibility: meta.visibility,
    ...(message === undefined ? {} : { message }),
    ...(meta.output === undefined ? {} : { output: meta.output }),
    ...(meta.hints === undefined ? {} : { hints: meta.hints }),
  };
}

/** The exercise a spec grades: its file is named after the exercise's slug. */
function exerciseOf(module: TestModule): string {
  return basename(module.moduleId).replace(/\.spec\.ts$/, "");
}

function firstLine(error: unknown): string {
  const text = error && typeof error === "object" && "message" in error ? String(error.message) : String(error);
  return text.split("\n")[0] ?? text;
}
