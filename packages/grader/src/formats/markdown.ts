import type { ExerciseResult } from "../results.js";
import type { GradeReport } from "./grade-report.js";
import { limitBytes, printable } from "./learner-text.js";
import { reasonOf } from "./result-fields.js";

/** GitHub refuses a step summary over 1 MiB (and shows none of it): the whole summary stays under this. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 1;
/** The most of one message shown, in UTF-8 bytes: a message is a few hundred; what an app chose may be any size. */
export const MESSAGE_LIMIT_BYTES = 16 * 1024;
const MESSAGE_CUT = "\n… (cut: the JSON report has all of it)";
/** Room kept for the lines that always close the summary (the note on what was left out, the fingerprint). */
const CLOSING_BYTES = 2 * 1024;

/**
 * A summary sized for $GITHUB_STEP_SUMMARY: a table of exercises, then each failed check with its message in a
 * fold. A message (learner text: an app's error, its page) sits in a fenced code block whose fence is longer than
 * any run of backticks in it, so that nothing in it (a fence, `</details>`, HTML) can end the block or become markup
 * (CommonMark §4.5). Messages past the summary's size limit are left out, and the summary says how many.
 */
export function toMarkdown(report: GradeReport): string {
  const { totals } = report;
  const lines = [
    `## Cookie course: ${totals.passed}/${totals.exercises} exercises passed (${totals.score}/${totals.maxScore} points)`,
    "",
    "| Exercise | Score | Result |",
    "| --- | ---: | --- |",
    ...report.exercises.map(
      (exercise) => `| ${exercise.id} | ${exercise.score}/${exercise.maxScore} | ${result(exercise)} |`,
    ),
  ];
  let size = bytes(lines.join("\n"));
  let leftOut = 0;
  const add = (block: string[]) => {
    const blockSize = bytes(block.join("\n")) + 1;
    if (size + blockSize > SUMMARY_LIMIT_BYTES - CLOSING_BYTES) return false;
    lines.push(...block);
    size += blockSize;
    return true;
  };
  for (const exercise of report.exercises) {
    if (exercise.status === "passed") continue;
    add(["", `### ${exercise.id}`, ""]);
    if (exercise.error && !add(["- ❌ Grading did not finish", ...folded(exercise.error)])) leftOut++;
    for (const check of exercise.checks) {
      if (check.status === "passed") continue;
      const mark = check.status === "failed" ? "❌" : "⏭️";
      const block = [
        `- ${mark} ${cell(check.name)} (${check.points}/${check.maxPoints})`,
        // An earlier exercise's check that awaits a change of terms: what the change asks, before what happened.
        ...(check.status === "failed" && check.changedTerms
          ? [`  It runs again here as a later exercise changed it: ${cell(check.changedTerms)}`]
          : []),
        ...(check.status === "failed" && check.message ? folded(check.message) : []),
      ];
      if (!add(block)) leftOut++;
    }
  }
  if (leftOut > 0)
    lines.push(
      "",
      `${leftOut} more failure${leftOut === 1 ? "" : "s"} left out to keep this summary under GitHub's 1 MiB: the JSON report has them all.`,
    );
  const { environment } = report;
  const lockfile = environment.lockfileSha256 ? `lockfile ${environment.lockfileSha256.slice(0, 12)}` : "no lockfile";
  lines.push(
    "",
    `<sub>${cell(report.grader.name)} ${cell(report.grader.version)} · ${report.durationMs} ms · Node ${cell(environment.node)} · pnpm ${cell(environment.pnpm ?? "?")} · ${cell(`${environment.platform}-${environment.arch}`)} · ${lockfile}</sub>`,
  );
  return `${lines.join("\n")}\n`;
}

/** An exercise's result for the table, with the reason it failed when the result gives one. */
function result(exercise: ExerciseResult): string {
  if (exercise.status === "passed") return "✅ passed";
  const reason = reasonOf(exercise);
  return reason === undefined ? "❌ failed" : `❌ failed: ${cell(reason)}`;
}

/** Learner text in a fold, as a fenced code block within the list item (indented by its two spaces). */
function folded(message: string): string[] {
  const text = limitBytes(printable(message), MESSAGE_LIMIT_BYTES, MESSAGE_CUT);
  let longestRun = 0;
  for (const [run] of text.matchAll(/`+/g)) longestRun = Math.max(longestRun, run.length);
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [
    "  <details><summary>What happened</summary>",
    "",
    `  ${fence}text`,
    ...text.split("\n").map((line) => `  ${line}`),
    `  ${fence}`,
    "  </details>",
  ];
}

/** Text for a table cell or a list item's line: no line breaks, no pipes, no markup. */
function cell(text: string): string {
  return printable(text)
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|");
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
