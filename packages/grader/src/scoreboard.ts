import pc from "picocolors";
import {
  firstFailure,
  gateContext,
  gateStanding,
  gateWords,
  gatesByExercise,
  type CheckResult,
  type ExerciseResult,
} from "./results.js";

const BAR_WIDTH = 10;

/** When each exercise first passed, from the learner's local progress (`.course/progress.json`). */
export type PassedAt = Readonly<Record<string, string | undefined>>;

/**
 * The learner's scoreboard: one line per exercise marked done, current (the first not done) or next, with its
 * score; then the first thing to fix, told in full.
 */
export function scoreboard(
  results: readonly ExerciseResult[],
  { rerun, passedAt = {}, perExercise = true }: { rerun: string; passedAt?: PassedAt; perExercise?: boolean },
): string {
  const width = Math.max(...results.map((result) => result.id.length));
  const lines = ["", pc.bold("Cookie course · scoreboard"), ""];
  const open = results.filter((result) => result.status === "failed");
  for (const result of results) {
    const since = passedAt[result.id] ? pc.dim(` since ${passedAt[result.id]!.slice(0, 10)}`) : "";
    const stage =
      result.status === "passed"
        ? pc.green("✓ done   ") + since
        : result === open[0]
          ? pc.yellow("▶ current") + pc.dim(`  ${printable(firstFailure(result)?.name ?? result.error ?? "")}`)
          : result === open[1]
            ? pc.dim("· next")
            : pc.dim("· later");
    lines.push(
      `  ${result.id.padEnd(width)}  ${bar(result)}  ${`${result.score}/${result.maxScore}`.padStart(5)}  ${stage}`,
    );
  }
  const passed = results.filter((result) => result.status === "passed").length;
  const next = results.find((result) => result.status === "failed");
  lines.push("", `  ${passed}/${results.length} exercises passed`);
  if (next) {
    lines.push("", pc.bold(`Next: ${next.id}`), ...fixFirst(next).map((line) => `  ${line}`));
    // A learner re-grades one exercise and tries it in a browser; a grader of submissions re-grades the submission.
    lines.push(
      "",
      pc.dim(
        perExercise
          ? `  Re-grade it with: ${rerun} ${next.id.slice(0, 2)}    Try it in the workbook: pnpm start`
          : `  Re-grade with: ${rerun}`,
      ),
    );
  } else {
    lines.push(pc.green("  All done. Well played!"));
  }
  return `${lines.join("\n")}\n`;
}

/** One exercise in detail: every check, and the first failure's message. */
export function exerciseDetail(result: ExerciseResult): string {
  const lines = ["", pc.bold(`${result.id}  ${result.score}/${result.maxScore}`)];
  const gates = gatesByExercise(result);
  const loads = result.checks.find((check) => check.id === "app-loads");
  if (loads && loads.status !== "passed") {
    // Nothing else ran: one line for the rest, and the reason below.
    lines.push(
      `  ${markOf(loads)} ${loads.name}`,
      pc.dim(`  ↓ the other ${result.checks.length - 1} checks wait for the app to load`),
    );
    lines.push("", ...fixFirst(result).map((line) => `  ${line}`));
    return `${lines.join("\n")}\n`;
  }
  for (const check of result.checks) {
    if (check.gate && check.exercise !== result.id) {
      // Each earlier exercise's gates in one place: where its first check stood.
      if (gates.get(check.exercise)?.[0] === check)
        lines.push(...gateLines(result, check.exercise, gates.get(check.exercise)!));
      continue;
    }
    const points = check.gate ? "" : pc.dim(` (${check.points}/${check.maxPoints})`);
    lines.push(`  ${markOf(check)} ${check.name}${points}`);
  }
  if (result.status === "failed") lines.push("", ...fixFirst(result).map((line) => `  ${line}`));
  return `${lines.join("\n")}\n`;
}

/**
 * Text from a learner's app (an error it threw, a page it answered) shown as text: its control characters are
 * written out (`\u001b`), so that it cannot move the cursor, clear the screen or hide the scoreboard.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** What to fix first: the first failed check, told in full, with what the app printed; else the exercise's error. */
function fixFirst(result: ExerciseResult): string[] {
  const failure = firstFailure(result);
  if (!failure) return result.error ? [pc.red(`✗ ${printable(result.error)}`)] : [];
  const hints = failure.hints?.length ?? 0;
  const stuck =
    hints > 0
      ? [
          pc.cyan(
            `💡 Stuck? pnpm hint ${result.id.slice(0, 2)} (${hints} hint${hints === 1 ? "" : "s"} for this check)`,
          ),
        ]
      : [];
  const printed = failure.output?.trim()
    ? [
        pc.dim("  Your app printed:"),
        ...printable(failure.output.trim())
          .split("\n")
          .slice(0, 12)
          .map((line) => pc.dim(`    ${line}`)),
      ]
    : [];
  const context = gateContext(failure, result.id);
  const regression = context === undefined ? [] : [pc.yellow(`  ${context}`)];
  return [
    pc.red(`✗ ${failure.name}`),
    ...regression,
    ...printable(failure.message ?? "")
      .split("\n")
      .map((line) => `  ${line}`),
    ...printed,
    ...stuck,
  ];
}

/**
 * An earlier exercise's checks, run again as a gate, in one line while they hold: they earn nothing here, and the
 * learner is working on this exercise. A check that no longer holds is named, as the regression it is.
 */
function gateLines(result: ExerciseResult, exercise: string, gates: readonly CheckResult[]): string[] {
  const broken = gates.filter((check) => check.status !== "passed");
  const standing = gateStanding(result, gates);
  const { title, detail } = gateWords(standing, exercise, gates.length);
  if (standing === "holds") return [`  ${pc.green("✓")} ${title} ${pc.dim(detail)}`];
  if (standing === "not-run") return [`  ${pc.dim("↓")} ${title} ${pc.dim(detail)}`];
  // The failed ones by name; those that wait on them, counted.
  const failed = broken.filter((check) => check.status === "failed");
  const waiting = broken.length - failed.length;
  return [
    `  ${pc.red("✗")} ${title} ${pc.dim(detail)}`,
    ...failed.map((check) => `    ${markOf(check)} ${check.name}`),
    ...(waiting > 0
      ? [pc.dim(`    ↓ ${waiting} more, not run until ${failed.length === 1 ? "it passes" : "these pass"}`)]
      : []),
  ];
}

function markOf(check: CheckResult): string {
  if (check.status === "passed") return pc.green("✓");
  if (check.status === "skipped") return pc.dim("↓");
  return pc.red("✗");
}

function bar(result: ExerciseResult): string {
  const filled = result.maxScore === 0 ? 0 : Math.round((result.score / result.maxScore) * BAR_WIDTH);
  const colour = result.status === "passed" ? pc.green : pc.yellow;
  return colour("█".repeat(filled)) + pc.dim("░".repeat(BAR_WIDTH - filled));
}
