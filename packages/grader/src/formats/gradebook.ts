import type { ExerciseResult } from "../results.js";
import { studentOf, type GradeReport } from "./grade-report.js";
import { printable } from "./learner-text.js";

/** A student's row: per exercise, then their points split by visibility, the total and its percentage. */
interface GradebookRow {
  readonly student: string;
  readonly exercises: ReadonlyMap<string, ExerciseResult>;
  readonly visible: Points;
  readonly hidden: Points;
  readonly total: Points;
  readonly passed: number;
}

interface Points {
  readonly score: number;
  readonly max: number;
}

/**
 * The class gradebook as CSV: one row per student; per exercise its points, status and, when not passed, the reason
 * in a few words; then the points of visible and hidden checks apart, the total, its maximum and percentage.
 */
export function toGradebookCsv(reports: readonly GradeReport[]): string {
  const exercises = exerciseIds(reports);
  const maxOf = (id: string) =>
    reports.flatMap((report) => report.exercises).find((exercise) => exercise.id === id)?.maxScore ?? 0;
  const header = [
    "student",
    ...exercises.flatMap((id) => [`${id} points (of ${maxOf(id)})`, `${id} status`, `${id} reason`]),
  ];
  // "passed (of 3)" and a count, like the points columns: a cell "1/3" is a date to a spreadsheet (3 January).
  const rows = [
    [
      ...header,
      "visible points",
      "visible max",
      "hidden points",
      "hidden max",
      "total",
      "max",
      "percent",
      `passed (of ${exercises.length})`,
    ],
  ];
  for (const row of gradebookRows(reports)) {
    const cells = exercises.flatMap((id) => {
      const result = row.exercises.get(id);
      return result ? [String(result.score), result.status, result.reason ?? ""] : ["0", "failed", "not in the report"];
    });
    const { visible, hidden, total } = row;
    rows.push([
      row.student,
      ...cells,
      ...[visible.score, visible.max, hidden.score, hidden.max, total.score, total.max].map(String),
      percent(total),
      String(row.passed),
    ]);
  }
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}

/** The same gradebook as a Markdown table, for `$GITHUB_STEP_SUMMARY`, with the class average. */
export function toGradebookMarkdown(reports: readonly GradeReport[]): string {
  const exercises = exerciseIds(reports);
  const rows = gradebookRows(reports);
  const lines = [
    `## Gradebook: ${reports.length} submissions`,
    "",
    `| student | ${exercises.join(" | ")} | visible | hidden | total | % |`,
    `| --- | ${exercises.map(() => "---").join(" | ")} | ---: | ---: | ---: | ---: |`,
  ];
  for (const row of rows) {
    const cells = exercises.map((id) => {
      const result = row.exercises.get(id);
      if (!result) return "— missing";
      const mark = result.status === "passed" ? "✅" : "❌";
      return `${mark} ${result.score}/${result.maxScore}${result.reason ? ` · ${markdownCell(result.reason)}` : ""}`;
    });
    const { visible, hidden, total } = row;
    lines.push(
      `| ${markdownCell(row.student)} | ${cells.join(" | ")} | ${visible.score}/${visible.max} | ${hidden.score}/${hidden.max} | ${total.score}/${total.max} | ${percent(total)} |`,
    );
  }
  if (rows.length > 0) {
    const average = rows.reduce((sum, row) => sum + share(row.total), 0) / rows.length;
    lines.push("", `Class average: ${(average * 100).toFixed(1)}%`);
    lines.push(
      "",
      "*visible*: the checks learners run themselves (`pnpm test`); *hidden*: the checks only the course's grader has.",
    );
    const named = reasonChecks(reports, rows);
    if (named.length > 0) {
      lines.push("", "The checks named as reasons:", "");
      for (const { id, name, visibility } of named) lines.push(`- \`${id}\` (${visibility}): ${markdownCell(name)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The checks whose ids the gradebook gives as reasons, in id order, with their sentence, for a reader without the suite. */
function reasonChecks(
  reports: readonly GradeReport[],
  rows: readonly GradebookRow[],
): { id: string; name: string; visibility: string }[] {
  const checks = new Map(
    reports
      .flatMap((report) => report.exercises.flatMap((exercise) => exercise.checks))
      .map((check) => [check.id, check]),
  );
  const reasons = rows.flatMap((row) => [...row.exercises.values()].map((exercise) => exercise.reason ?? ""));
  // A reason names a check as its whole text (`01.sets-cookie`) or at its end (`01 no longer holds: 01.http-only`).
  const named = [...checks.keys()].filter((id) =>
    reasons.some((reason) => reason === id || reason.endsWith(`: ${id}`)),
  );
  return named
    .sort()
    .map((id) => ({ id, name: checks.get(id)!.name, visibility: checks.get(id)!.visibility ?? "visible" }));
}

function gradebookRows(reports: readonly GradeReport[]): GradebookRow[] {
  return [...reports]
    .map((report) => {
      const own = report.exercises.flatMap((exercise) => exercise.checks.filter((check) => check.gate !== true));
      const points = (visibility: "visible" | "hidden") => {
        const checks = own.filter((check) => (check.visibility ?? "visible") === visibility);
        return { score: sum(checks.map((check) => check.points)), max: sum(checks.map((check) => check.maxPoints)) };
      };
      return {
        // A folder's name may hold escape codes (printed on the teacher's terminal, they could hide a row) or a
        // bidirectional override (a name that reads as another's): shown as \u001b, as a learner's text is.
        student: printable(studentOf(report)),
        exercises: new Map(report.exercises.map((exercise) => [exercise.id, exercise])),
        visible: points("visible"),
        hidden: points("hidden"),
        total: { score: report.totals.score, max: report.totals.maxScore },
        passed: report.totals.passed,
      };
    })
    .sort((a, b) => a.student.localeCompare(b.student));
}

function exerciseIds(reports: readonly GradeReport[]): string[] {
  return [...new Set(reports.flatMap((report) => report.exercises.map((exercise) => exercise.id)))].sort();
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const share = ({ score, max }: Points) => (max === 0 ? 0 : score / max);

function percent(points: Points): string {
  return `${(share(points) * 100).toFixed(1)}%`;
}

/** Text in a Markdown table cell: a pipe would end the cell, a newline the row (and start one of the student's making). */
function markdownCell(text: string): string {
  return text
    .replace(/[\\|]/g, (char) => `\\${char}`)
    .replace(/[\r\n]+/g, " ")
    .replace(/</g, "&lt;");
}

/** RFC 4180 quoting, and a leading ' for cells a spreadsheet would run as a formula (CSV injection). */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
