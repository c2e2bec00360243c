import type { GradeReport } from "./grade-report.js";

/** JUnit XML, as CI test views (GitHub, GitLab, Jenkins) read it: a suite per exercise, a test case per check. */
export function toJunit(report: GradeReport): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const count = (status: string) => report.exercises.flatMap((exercise) => exercise.checks).filter((check) => check.status === status).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cookie-course" tests="${count("passed") + count("failed") + count("skipped")}" failures="${count("failed")}" skipped="${count("skipped")}" time="${seconds(report.durationMs)}">`,
  ];
  for (const exercise of report.exercises) {
    const failures = exercise.checks.filter((check) => check.status === "failed").length + (exercise.error ? 1 : 0);
    const skipped = exercise.checks.filter((check) => check.status === "skipped").length;
    lines.push(
      `  <testsuite name="${xml(exercise.id)}" tests="${exercise.checks.length + (exercise.error ? 1 : 0)}" failures="${failures}" skipped="${skipped}" time="${seconds(exercise.durationMs)}">`,
      "    <properties>",
      ...fingerprintProperties(report).map(([name, value]) => `      <property name="${xml(name)}" value="${xml(value)}" />`),
      "    </properties>",
    );
    if (exercise.error) {
      lines.push(`    <testcase classname="${xml(exercise.id)}" name="grading finishes">`);
      lines.push(`      <failure message="${xml(exercise.error)}">${xml(exercise.error)}</failure>`, "    </testcase>");
    }
    for (const check of exercise.checks) {
      const open = `    <testcase classname="${xml(exercise.id)}" name="${xml(check.name)}" time="0">`;
      if (check.status === "passed") lines.push(open.replace(/>$/, " />"));
      else if (check.status === "skipped") lines.push(open, `      <skipped message="${xml(check.message ?? "")}" />`, "    </testcase>");
      else {
        const message = check.message ?? "";
        lines.push(open, `      <failure message="${xml(message.split("\n")[0] ?? "")}">${xml(message)}</failure>`, "    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

/** The environment the grade was made in, as JUnit properties. */
function fingerprintProperties({ environment }: GradeReport): [string, string][] {
  return [
    ["grader", `${environment.grader.name}@${environment.grader.version}`],
    ["node", environment.node],
    ["platform", `${environment.platform}-${environment.arch}`],
    ["pnpm", environment.pnpm ?? "unknown"],
    ["lockfile.sha256", environment.lockfileSha256 ?? "none"],
  ];
}

/** Text for XML attributes and content; characters XML 1.0 cannot hold at all are dropped. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
