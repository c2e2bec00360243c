import type { CheckResult, ExerciseResult } from "../results.js";
import { cutCodePoints } from "../sandbox/text.js";
import type { GradeReport } from "./grade-report.js";
import { printable } from "./learner-text.js";
import { durationMsOf } from "./result-fields.js";

/** The longest `message` attribute: a failure's first line, as a CI view's one-line summary shows it. */
const MESSAGE_ATTRIBUTE_LIMIT = 1_000;

/**
 * JUnit XML, as CI test views (GitHub, GitLab, Jenkins) read it: a suite per exercise, a test case per check, valid
 * against the Jenkins xUnit plugin's junit-10.xsd (the schema most readers follow; test/schemas/ holds a copy). The
 * root's counts are the sums of its suites'. An exercise whose grading could not finish has a test case that
 * errored (`<error>`), besides its checks; a failed check is a `<failure>`, a skipped one `<skipped>`.
 */
export function toJunit(report: GradeReport): string {
  const suites = report.exercises.map(suiteCounts);
  const sum = (key: keyof SuiteCounts) => suites.reduce((total, suite) => total + suite[key], 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cookie-course" tests="${sum("tests")}" failures="${sum("failures")}" errors="${sum("errors")}" time="${seconds(report.durationMs)}">`,
  ];
  report.exercises.forEach((exercise, index) => {
    const counts = suites[index]!;
    lines.push(
      `  <testsuite name="${attribute(exercise.id)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(exercise.durationMs)}">`,
      "    <properties>",
      ...fingerprintProperties(report).map(
        ([name, value]) => `      <property name="${attribute(name)}" value="${attribute(value)}" />`,
      ),
      "    </properties>",
    );
    if (exercise.error) {
      lines.push(
        `    <testcase classname="${attribute(exercise.id)}" name="grading finishes" time="0">`,
        `      <error message="${summary(exercise.error)}">${xml(exercise.error)}</error>`,
        "    </testcase>",
      );
    }
    for (const check of exercise.checks) lines.push(...testCase(exercise, check));
    lines.push("  </testsuite>");
  });
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suiteCounts(exercise: ExerciseResult): SuiteCounts {
  const count = (status: CheckResult["status"]) => exercise.checks.filter((check) => check.status === status).length;
  const errors = exercise.error ? 1 : 0;
  return { tests: exercise.checks.length + errors, failures: count("failed"), errors, skipped: count("skipped") };
}

function testCase(exercise: ExerciseResult, check: CheckResult): string[] {
  const open = `    <testcase classname="${attribute(exercise.id)}" name="${attribute(check.name)}" time="${seconds(durationMsOf(check))}">`;
  const body: string[] = [];
  if (check.status === "skipped") body.push(`      <skipped message="${summary(check.message ?? "")}" />`);
  if (check.status === "failed")
    body.push(`      <failure message="${summary(check.message ?? "")}">${xml(check.message ?? "")}</failure>`);
  if (check.output) body.push(`      <system-out>${xml(check.output)}</system-out>`);
  return body.length === 0 ? [open.replace(/>$/, " />")] : [open, ...body, "    </testcase>"];
}

/** Seconds with three decimals, as the schema's SUREFIRE_TIME allows. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** A message's first line, cut, for an attribute. */
function summary(message: string): string {
  return attribute(cutCodePoints(printable(message).split("\n", 1)[0] ?? "", MESSAGE_ATTRIBUTE_LIMIT));
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

/**
 * Text for XML content: what XML 1.0 cannot hold (most control characters, lone surrogates) shown as escapes by
 * {@link printable}, and markup escaped.
 */
function xml(text: string): string {
  return printable(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Text for an attribute: as {@link xml}, and tabs and newlines as references (a parser makes a literal one a space). */
function attribute(text: string): string {
  return xml(text).replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}
