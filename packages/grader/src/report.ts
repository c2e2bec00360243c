import { readFileSync } from "node:fs";
import { CommandError } from "./errors.js";
import type { GradeReport } from "./formats/grade-report.js";
import type { CheckResult, ExerciseResult } from "./results.js";

/**
 * The grader's reports, for whoever reads them back: the grader's own `pnpm test` and `--merge`, and course-tools'
 * `pnpm hint` and `pnpm verify`. The shapes are declared once, here and in the modules that write them; a reader
 * checks a file against them, so a report cut short or edited is named instead of read as nonsense.
 */
export type { CheckResult, ExerciseResult, GradeReport };
/** What to fix first in an exercise: the check `pnpm test NN` explains, which `pnpm hint NN` gives hints for. */
export { firstFailure, gateContext, gateStanding, gateWords, gatesByExercise, type GateStanding } from "./results.js";

export const GRADE_REPORT_SCHEMA: GradeReport["schema"] = "cookie-course/grade-report@1";

/** What is wrong with a report file: it cannot be read (there is none), it is not JSON, or its JSON is not a report. */
export type GradeReportProblem = "unreadable" | "not-json" | "wrong-shape";

/** A report that cannot be read as one; its message names the file and what is wrong, for a person (exit 2). */
export class GradeReportError extends CommandError {
  override name = "GradeReportError";

  constructor(
    readonly file: string,
    readonly problem: GradeReportProblem,
    /** What is wrong, as the end of a sentence that begins with the file: `is not JSON (cut short, or edited?).` */
    readonly detail: string,
    /** What to do about it, for the reader at hand: `Grade that shard again.` */
    readonly advice?: string,
  ) {
    super(advice === undefined ? `${file} ${detail}` : `${file} ${detail} ${advice}`);
  }

  /** The same problem, with what the person should do about it in this command. */
  withAdvice(advice: string): GradeReportError {
    return new GradeReportError(this.file, this.problem, this.detail, advice);
  }
}

/**
 * Reads a submission's report (`pnpm grade --json`, and each student's file of a class): a GradeReport whose
 * `schema` is cookie-course/grade-report@1. Throws a GradeReportError when the file cannot be read, is not JSON, or
 * is not such a report.
 */
export function readGradeReport(file: string): GradeReport {
  const value = readJson(file, "a grade report");
  const what = `is not a grade report (${GRADE_REPORT_SCHEMA})`;
  if (!isRecord(value))
    throw new GradeReportError(file, "wrong-shape", `${what}: it holds ${describe(value)}, not an object.`);
  if (value.schema !== GRADE_REPORT_SCHEMA) {
    const found = value.schema === undefined ? "it has no schema" : `its schema is ${describe(value.schema)}`;
    throw new GradeReportError(file, "wrong-shape", `${what}: ${found}.`);
  }
  const problem = gradeReportProblem(value);
  if (problem) throw new GradeReportError(file, "wrong-shape", `${what}: ${problem}.`);
  return value as unknown as GradeReport;
}

/**
 * Reads one exercise's grade: the `reports/grade.json` that `cookie-grader exercise` writes into an app folder (the
 * turbo task behind `pnpm test`). Throws a GradeReportError when the file cannot be read, is not JSON, or is not a
 * grade.
 */
export function readExerciseReport(file: string): ExerciseResult {
  const value = readJson(file, "an exercise's grade");
  const problem = exerciseProblem(value, "");
  if (problem) throw new GradeReportError(file, "wrong-shape", `is not an exercise's grade: ${problem}.`);
  return value as ExerciseResult;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GradeReportError(
      file,
      "unreadable",
      `cannot be read: ${code === "ENOENT" ? "there is no such file" : `${code ?? String(error)}`}.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GradeReportError(file, "not-json", `is not ${what}: it is not JSON (cut short, or edited?).`);
  }
}

// Each check returns the first problem found, as words that name the field (`exercises[1].checks[0].status`), or
// undefined. Only the fields the types require are required: optional ones may be absent in an older grader's report.

function gradeReportProblem(report: Record<string, unknown>): string | undefined {
  return (
    field(report, "", "submission", "string") ??
    field(report, "", "startedAt", "string") ??
    field(report, "", "durationMs", "number") ??
    (isRecord(report.grader)
      ? (field(report.grader, "grader.", "name", "string") ?? field(report.grader, "grader.", "version", "string"))
      : shapeOf("grader", report.grader, "an object")) ??
    (isRecord(report.totals)
      ? ["exercises", "passed", "failed", "score", "maxScore"]
          .map((name) => field(report.totals as Record<string, unknown>, "totals.", name, "number"))
          .find(Boolean)
      : shapeOf("totals", report.totals, "an object")) ??
    (isRecord(report.environment) ? undefined : shapeOf("environment", report.environment, "an object")) ??
    (Array.isArray(report.exercises)
      ? report.exercises.map((exercise, index) => exerciseProblem(exercise, `exercises[${index}].`)).find(Boolean)
      : shapeOf("exercises", report.exercises, "a list"))
  );
}

const EXERCISE_STATUSES: readonly ExerciseResult["status"][] = ["passed", "failed"];
const CHECK_STATUSES: readonly CheckResult["status"][] = ["passed", "failed", "skipped"];

function exerciseProblem(exercise: unknown, at: string): string | undefined {
  if (!isRecord(exercise)) return shapeOf(at.replace(/\.$/, "") || "the file", exercise, "an object");
  return (
    field(exercise, at, "id", "string") ??
    oneOf(exercise, at, "status", EXERCISE_STATUSES) ??
    field(exercise, at, "score", "number") ??
    field(exercise, at, "maxScore", "number") ??
    field(exercise, at, "durationMs", "number") ??
    (Array.isArray(exercise.checks)
      ? exercise.checks.map((check, index) => checkProblem(check, `${at}checks[${index}].`)).find(Boolean)
      : shapeOf(`${at}checks`, exercise.checks, "a list"))
  );
}

function checkProblem(check: unknown, at: string): string | undefined {
  if (!isRecord(check)) return shapeOf(at.replace(/\.$/, ""), check, "an object");
  return (
    field(check, at, "id", "string") ??
    field(check, at, "name", "string") ??
    field(check, at, "exercise", "string") ??
    oneOf(check, at, "status", CHECK_STATUSES) ??
    field(check, at, "points", "number") ??
    field(check, at, "maxPoints", "number") ??
    (check.hints === undefined || (Array.isArray(check.hints) && check.hints.every((hint) => typeof hint === "string"))
      ? undefined
      : shapeOf(`${at}hints`, check.hints, "a list of strings")) ??
    (check.changedTerms === undefined || typeof check.changedTerms === "string"
      ? undefined
      : shapeOf(`${at}changedTerms`, check.changedTerms, "a string"))
  );
}

function field(
  record: Record<string, unknown>,
  at: string,
  name: string,
  type: "string" | "number",
): string | undefined {
  const value = record[name];
  const fits = type === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === type;
  return fits ? undefined : shapeOf(`${at}${name}`, value, type === "number" ? "a number" : "a string");
}

function oneOf(
  record: Record<string, unknown>,
  at: string,
  name: string,
  allowed: readonly string[],
): string | undefined {
  const value = record[name];
  return typeof value === "string" && allowed.includes(value)
    ? undefined
    : shapeOf(`${at}${name}`, value, allowed.map((status) => `"${status}"`).join(" or "));
}

function shapeOf(path: string, value: unknown, expected: string): string {
  return value === undefined ? `${path} is missing` : `${path} is ${describe(value)}, where ${expected} belongs`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === "object" ? "an object" : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
