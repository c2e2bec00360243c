import type { GradeReport } from "./grade-report.js";

/**
 * GitHub Actions workflow commands: one `::error` annotation per failed check (and per exercise whose grading
 * could not finish), shown on the run's summary and the commit. Printed when GITHUB_ACTIONS is "true".
 */
export function githubAnnotations(report: GradeReport): string {
  const lines: string[] = [];
  for (const exercise of report.exercises) {
    const file = `exercises/${exercise.id}/src/app.ts`;
    if (exercise.error) lines.push(`::error file=${property(file)},title=${property(`${exercise.id}: grading did not finish`)}::${data(exercise.error)}`);
    for (const check of exercise.checks) {
      if (check.status !== "failed") continue;
      lines.push(`::error file=${property(file)},title=${property(`${exercise.id}: ${check.name}`)}::${data(check.message ?? check.name)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Escaping for a command's message (GitHub's toolkit: %, CR and LF). */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping for a command's properties: also `:` and `,`. */
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
