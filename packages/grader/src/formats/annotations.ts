import { cutUtf16 } from "../sandbox/text.js";
import type { GradeReport } from "./grade-report.js";
import { printable } from "./learner-text.js";

/** GitHub's runner keeps at most 10 `::error` annotations of a step, and drops the rest. */
export const MAX_ERROR_ANNOTATIONS = 10;
/** The runner cuts an annotation's message at 4096 characters (UTF-16 units: it is .NET); cut here, it says so. */
export const ANNOTATION_MESSAGE_LIMIT = 4096;
const MESSAGE_CUT = "\n… (cut: the job summary and the JSON report have all of it)";

interface Failure {
  exercise: string;
  title: string;
  message: string;
}

/**
 * GitHub Actions workflow commands (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions):
 * an `::error` annotation per failed check (and per exercise whose grading could not finish), shown on the run's
 * summary and the commit. Printed when GITHUB_ACTIONS is "true".
 *
 * The runner keeps ten a step, so these are the ten most useful: each exercise's first failure (what to fix first),
 * then the others in order. When some are left out, a `::notice` says how many.
 */
export function githubAnnotations(report: GradeReport): string {
  const failures: Failure[] = [];
  for (const exercise of report.exercises) {
    if (exercise.error)
      failures.push({
        exercise: exercise.id,
        title: `${exercise.id}: grading did not finish`,
        message: exercise.error,
      });
    for (const check of exercise.checks) {
      if (check.status === "failed")
        failures.push({
          exercise: exercise.id,
          title: `${exercise.id}: ${check.name}`,
          message: check.message ?? check.name,
        });
    }
  }
  const firsts = failures.filter(
    (failure, index) => failures.findIndex((other) => other.exercise === failure.exercise) === index,
  );
  const chosen = [...firsts, ...failures.filter((failure) => !firsts.includes(failure))].slice(
    0,
    MAX_ERROR_ANNOTATIONS,
  );
  const lines = chosen.map(
    (failure) =>
      `::error file=${property(`exercises/${failure.exercise}/src/app.ts`)},title=${property(failure.title)}::${data(limited(failure.message))}`,
  );
  const leftOut = failures.length - chosen.length;
  if (leftOut > 0) {
    lines.push(
      `::notice title=${property("More failed checks")}::${data(`${leftOut} more failed check${leftOut === 1 ? "" : "s"} not annotated (GitHub keeps ten a step): see the job summary.`)}`,
    );
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** A message as the runner shows it: printable, and at most its limit long, cut notice included. */
function limited(message: string): string {
  const text = printable(message);
  return text.length <= ANNOTATION_MESSAGE_LIMIT
    ? text
    : `${cutUtf16(text, ANNOTATION_MESSAGE_LIMIT - MESSAGE_CUT.length)}${MESSAGE_CUT}`;
}

/** Escaping for a command's message (actions/toolkit's escapeData: %, CR and LF). */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping for a command's properties (escapeProperty): also `:` and `,`. */
function property(text: string): string {
  return data(printable(text)).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
