import type { GradeReport } from "./grade-report.js";

/** The class gradebook: one row per student, one column per exercise (its score), then the total. */
export function toGradebookCsv(reports: readonly GradeReport[]): string {
  const exercises = exerciseIds(reports);
  const rows = [["student", ...exercises, "total", "max", "passed"]];
  for (const report of sorted(reports)) {
    const scores = exercises.map((id) => String(report.exercises.find((exercise) => exercise.id === id)?.score ?? 0));
    rows.push([studentOf(report), ...scores, String(report.totals.score), String(report.totals.maxScore), `${report.totals.passed}/${report.totals.exercises}`]);
  }
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}

/** The same gradebook as a Markdown table, for `$GITHUB_STEP_SUMMARY`. */
export function toGradebookMarkdown(reports: readonly GradeReport[]): string {
  const exercises = exerciseIds(reports);
  const lines = [
    `## Gradebook: ${reports.length} submissions`,
    "",
    `| student | ${exercises.join(" | ")} | total |`,
    `| --- | ${exercises.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const report of sorted(reports)) {
    const cells = exercises.map((id) => {
      const exercise = report.exercises.find((candidate) => candidate.id === id);
      return exercise ? `${exercise.status === "passed" ? "✅" : "❌"} ${exercise.score}/${exercise.maxScore}` : "—";
    });
    // A folder name may hold a newline, which would end the row (and start one of the student's making).
    lines.push(`| ${studentOf(report).replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")} | ${cells.join(" | ")} | ${report.totals.score}/${report.totals.maxScore} |`);
  }
  return `${lines.join("\n")}\n`;
}

function exerciseIds(reports: readonly GradeReport[]): string[] {
  return [...new Set(reports.flatMap((report) => report.exercises.map((exercise) => exercise.id)))].sort();
}

function sorted(reports: readonly GradeReport[]): GradeReport[] {
  return [...reports].sort((a, b) => studentOf(a).localeCompare(studentOf(b)));
}

/** A student is named by their submission's folder. */
function studentOf(report: GradeReport): string {
  return report.submission.replace(/\\/g, "/").split("/").filter(Boolean).at(-1) ?? report.submission;
}

/** RFC 4180 quoting, and a leading ' for cells a spreadsheet would run as a formula (CSV injection). */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
