import type { CheckResult } from "../results.js";
import type { GradeReport } from "./grade-report.js";

/** One entry of `tests` in Exercism's results.json, version 3. */
interface ExercismTest {
  name: string;
  status: "pass" | "fail" | "error";
  message?: string;
  output?: string;
  test_code: string;
  task_id?: number;
}

/** Exercism stores messages in a 65535-byte column, so multibyte text gets fewer characters. */
export const EXERCISM_MESSAGE_LIMIT = 65_535;
/** The spec's limit on a test's output, in characters. */
export const EXERCISM_OUTPUT_LIMIT = 500;
/** The spec's own wording for cut output. */
const OUTPUT_CUT = "\nOutput was truncated. Please limit to 500 chars";

/**
 * Exercism's test-runner `results.json`, version 3
 * (https://exercism.org/docs/building/tooling/test-runners/interface): a test per check in the report's order, which is
 * the order learners fix them in; `task_id` links each test to its exercise's number, and `output` holds what the
 * learner's app printed during the check.
 */
export function toExercism(report: GradeReport): string {
  const tests: ExercismTest[] = [];
  for (const exercise of report.exercises) {
    const digits = /^(\d+)-/.exec(exercise.id)?.[1];
    const task = digits === undefined ? {} : { task_id: Number(digits) };
    if (exercise.error) {
      tests.push({ name: `${exercise.id} › grading finishes`, status: "error", message: truncate(exercise.error), test_code: `grade ${exercise.id}`, ...task });
    }
    for (const check of exercise.checks) {
      const status = check.status === "passed" ? "pass" : "fail";
      tests.push({
        name: `${exercise.id} › ${check.name}`,
        status,
        ...(status === "fail" && check.message !== undefined ? { message: truncate(check.message) } : {}),
        ...printed(check),
        test_code: `check ${check.id}`,
        ...task,
      });
    }
  }
  // "error" means no test ran at all (the spec's compile error): here, every exercise stopped before any check.
  const noneRan = report.exercises.every((exercise) => exercise.error !== undefined && exercise.checks.length === 0);
  if (noneRan) {
    const reasons = report.exercises.map((exercise) => `${exercise.id}: ${exercise.error ?? ""}`);
    const message = reasons.length > 0 ? reasons.join("\n") : "No exercise was graded.";
    return json({ version: 3, status: "error", message: truncate(message), tests, environment: report.environment });
  }
  const allPassed = tests.every((test) => test.status === "pass");
  // Exercism reads version, status, message and tests; `environment` is the fingerprint every report carries.
  return json({ version: 3, status: allPassed ? "pass" : "fail", tests, environment: report.environment });
}

/** Cuts text to the limit in UTF-8 bytes, never inside a character, and says that it did. */
function truncate(text: string): string {
  const marker = "\n… (truncated)";
  if (Buffer.byteLength(text, "utf8") <= EXERCISM_MESSAGE_LIMIT) return text;
  const budget = EXERCISM_MESSAGE_LIMIT - Buffer.byteLength(marker, "utf8");
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, "utf8");
    if (bytes + size > budget) break;
    bytes += size;
    end += character.length;
  }
  return `${text.slice(0, end)}${marker}`;
}

/** What the app printed, cut to the spec's 500 characters (code points, the cut notice included). */
function printed(check: CheckResult): { output?: string } {
  // Read defensively: results carry the app's output only from the collector that captures it.
  const output = (check as { output?: unknown }).output;
  if (typeof output !== "string" || output === "") return {};
  const characters = Array.from(output);
  if (characters.length <= EXERCISM_OUTPUT_LIMIT) return { output };
  return { output: `${characters.slice(0, EXERCISM_OUTPUT_LIMIT - Array.from(OUTPUT_CUT).length).join("")}${OUTPUT_CUT}` };
}

function json(results: object): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
