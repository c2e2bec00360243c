import { readFileSync } from "node:fs";
import { posix, win32 } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExerciseResult } from "../results.js";
import { wellFormed } from "../sandbox/text.js";
import { environmentFingerprint, type EnvironmentFingerprint } from "./fingerprint.js";

/** The machine-readable report of one graded submission (documented in docs/grading.md). */
export interface GradeReport {
  readonly schema: "cookie-course/grade-report@1";
  readonly grader: { readonly name: string; readonly version: string };
  /** What was graded: the submission's folder. */
  readonly submission: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: {
    readonly exercises: number;
    readonly passed: number;
    readonly failed: number;
    readonly score: number;
    readonly maxScore: number;
  };
  readonly exercises: readonly ExerciseResult[];
  /** Node, platform, pnpm, the lockfile's hash and the grader's version: whether two grades are comparable. */
  readonly environment: EnvironmentFingerprint;
}

/** The workspace the grader belongs to (src/formats or dist/formats are four folders down). */
const workspaceRoot = fileURLToPath(new URL("../../../../", import.meta.url));

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};

export function gradeReport(
  submission: string,
  exercises: readonly ExerciseResult[],
  startedAt: Date,
  durationMs: number,
  environment: EnvironmentFingerprint = environmentFingerprint(workspaceRoot),
): GradeReport {
  const passed = exercises.filter((exercise) => exercise.status === "passed").length;
  return {
    schema: "cookie-course/grade-report@1",
    grader: { name: manifest.name, version: manifest.version },
    submission,
    startedAt: startedAt.toISOString(),
    durationMs,
    totals: {
      exercises: exercises.length,
      passed,
      failed: exercises.length - passed,
      score: exercises.reduce((sum, exercise) => sum + exercise.score, 0),
      maxScore: exercises.reduce((sum, exercise) => sum + exercise.maxScore, 0),
    },
    exercises,
    environment,
  };
}

/**
 * The report as JSON. Every string is made well-formed on the way out: a lone surrogate, written as `\udXXX`, makes
 * strict parsers (serde_json, for one) refuse the whole file, and learner text may carry one.
 */
/**
 * The student a report is about: its submission folder's name, the one name of their row, their report's file and
 * the merge's check for a student in two shards. A folder is named by whoever named it: on Linux `x\alice` is one
 * name, not alice (another student's row). The path is absolute, so it says which system wrote it: `/…` a POSIX one,
 * `C:\…` or `\\server\…` Windows.
 */
export function studentOf(report: Pick<GradeReport, "submission">): string {
  const path = report.submission;
  return (path.startsWith("/") ? posix : win32).basename(path) || path;
}

export function toJson(report: GradeReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === "string" ? wellFormed(value) : value), 2)}\n`;
}
