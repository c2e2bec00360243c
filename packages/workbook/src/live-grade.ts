import { join } from "node:path";
import { recordGrades } from "@cookie-course/grader/progress";
import type { ExerciseResult } from "@cookie-course/grader/report";
import { watchExercises } from "@cookie-course/grader/watch";
import type { Course } from "./course.js";

/** `regrade`: the exercise was graded before, so this grade is a save's (not the first grade at start). */
export type GradeListener = (result: ExerciseResult, regrade: boolean) => void;

/**
 * The exercises' grades, kept up to date by the same warm grader as `pnpm watch`: every exercise is graded once
 * at start, then the one saved is graded again on each save. Each new grade is recorded in the learner's progress
 * and handed to the listeners the moment it is ready (the workbook pushes it to the page).
 */
export class LiveGrade {
  readonly #latest = new Map<string, ExerciseResult>();
  readonly #gradedAt = new Map<string, Date>();
  readonly #listeners = new Set<GradeListener>();
  readonly #course: Course;
  #stop: (() => Promise<void>) | undefined;
  #failure: string | undefined;
  #closed = false;

  constructor(course: Course) {
    this.#course = course;
  }

  /** Starts grading in the background: pages are served at once and show "grading…" until a grade comes. */
  start(): void {
    const { root, exercises } = this.#course;
    if (exercises.length === 0) return;
    watchExercises(
      join(root, "exercises"),
      exercises.map(({ app }) => app.slug),
      (results) => this.#graded(root, results),
    )
      .then(async (stop) => {
        this.#stop = stop;
        if (this.#closed) await stop();
      })
      .catch((error: unknown) => {
        // The grader itself failed (not a learner's app: those fail their own checks). Said on the page.
        this.#failure = error instanceof Error ? error.message : String(error);
      });
  }

  /** The newest grade of each exercise graded so far. */
  get latest(): ReadonlyMap<string, ExerciseResult> {
    return this.#latest;
  }

  /** When the exercise's newest grade was made. */
  gradedAt(slug: string): Date | undefined {
    return this.#gradedAt.get(slug);
  }

  /** Why grading stopped, when the grader itself could not go on. */
  get failure(): string | undefined {
    return this.#failure;
  }

  onGrade(listener: GradeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#stop?.();
  }

  #graded(root: string, results: readonly ExerciseResult[]): void {
    if (this.#closed) return;
    const regrades = results.map((result) => this.#latest.has(result.id));
    for (const result of results) {
      this.#latest.set(result.id, result);
      this.#gradedAt.set(result.id, new Date());
    }
    // The page first (a learner waits on it), then the record on disk.
    results.forEach((result, index) => {
      for (const listener of this.#listeners) listener(result, regrades[index]!);
    });
    recordGrades(root, results);
  }
}
