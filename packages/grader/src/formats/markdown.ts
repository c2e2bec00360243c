import type { GradeReport } from "./grade-report.js";

/** A summary sized for $GITHUB_STEP_SUMMARY: a table of exercises, then each failed check in a fold. */
export function toMarkdown(report: GradeReport): string {
  const { totals } = report;
  const lines = [
    `## Cookie course: ${totals.passed}/${totals.exercises} exercises passed (${totals.score}/${totals.maxScore} points)`,
    "",
    "| Exercise | Score | Result |",
    "| --- | ---: | --- |",
    ...report.exercises.map(
      (exercise) => `| ${exercise.id} | ${exercise.score}/${exercise.maxScore} | ${exercise.status === "passed" ? "✅ passed" : "❌ failed"} |`,
    ),
  ];
  for (const exercise of report.exercises) {
    if (exercise.status === "passed") continue;
    lines.push("", `### ${exercise.id}`, "");
    if (exercise.error) lines.push(`- ❌ ${cell(exercise.error)}`);
    for (const check of exercise.checks) {
      if (check.status === "passed") continue;
      const mark = check.status === "failed" ? "❌" : "⏭️";
      lines.push(`- ${mark} ${cell(check.name)} (${check.points}/${check.maxPoints})`);
      if (check.status === "failed" && check.message) {
        // A fence longer than any run of backticks in the message: learner text cannot close it (CommonMark §4.5).
        const fence = "`".repeat(Math.max(3, ...[...check.message.matchAll(/`+/g)].map(([run]) => run.length + 1)));
        lines.push("  <details><summary>What happened</summary>", "", `  ${fence}text`, ...check.message.split("\n").map((line) => `  ${line}`), `  ${fence}`, "  </details>");
      }
    }
  }
  const { environment } = report;
  const lockfile = environment.lockfileSha256 ? `lockfile ${environment.lockfileSha256.slice(0, 12)}` : "no lockfile";
  lines.push(
    "",
    `<sub>${report.grader.name} ${report.grader.version} · ${report.durationMs} ms · Node ${environment.node} · pnpm ${environment.pnpm ?? "?"} · ${environment.platform}-${environment.arch} · ${lockfile}</sub>`,
  );
  return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
