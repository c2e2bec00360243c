import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import {
  firstFailure,
  gateStanding,
  gateWords,
  gatesByExercise,
  type CheckResult,
  type ExerciseResult,
} from "@cookie-course/grader/report";

const MARK: Record<CheckResult["status"], { sign: string; word: string }> = {
  passed: { sign: "✓", word: "passed" },
  failed: { sign: "✗", word: "failed" },
  skipped: { sign: "↓", word: "not run yet" },
};

/**
 * The live grade of one exercise: its score, its checks (✓ ✗ ↓) and its first failure set out as the grader
 * tells it: the request that was sent, what came back, what was expected, and a hint. The section's content is
 * what the server pushes on every save; the section itself stays, as the live region a screen reader follows.
 */
export function gradePanel(
  slug: string,
  result: ExerciseResult | undefined,
  graderFailure: string | undefined,
  gradedAt?: Date,
): SafeHtml {
  return html`<section id="grade" class="panel" aria-labelledby="grade-title" data-exercise="${slug}">
<h2 id="grade-title">Live grade</h2>
<div id="grade-body" aria-live="polite">${gradeBody(result, graderFailure, gradedAt)}</div>
</section>`;
}

/** The panel's content alone: what the page swaps in when a new grade arrives. */
export function gradeBody(
  result: ExerciseResult | undefined,
  graderFailure: string | undefined,
  gradedAt?: Date,
): SafeHtml {
  if (!result) {
    return graderFailure
      ? html`<p class="problem">The grader could not run: ${graderFailure}</p>`
      : html`<p>Grading… The grade appears here by itself, and again on every save.</p>`;
  }
  const own = result.checks.filter((check) => !check.gate || check.exercise === result.id);
  // As the scoreboard has them: whether the app loads, then the earlier exercises, then this one's checks.
  const loads = own.find((check) => check.id === "app-loads");
  const rest = own.filter((check) => check !== loads);
  const gates = groupGates(result);
  const failed = firstFailure(result);
  const checkLine = (check: CheckResult) =>
    html`<li class="check-${check.status}"><span aria-hidden="true">${MARK[check.status].sign}</span> ${check.name}${check.maxPoints > 0 ? html` <span class="points">(${check.points}/${check.maxPoints})</span>` : ""} <span class="visually-hidden">${MARK[check.status].word}</span></li>`;
  return html`<p class="score status-${result.status}"><strong>${result.status === "passed" ? "✓ Passes" : "✗ Not yet"}</strong>: ${result.score} of ${result.maxScore} points.${gradedAt ? html` <span class="when">Graded at <time datetime="${gradedAt.toISOString()}">${gradedAt.toLocaleTimeString("en-GB")}</time>.</span>` : ""}</p>
${result.error ? html`<p class="problem">${result.error}</p>` : ""}
<ul class="checks">
${loads ? checkLine(loads) : ""}
${gates.map((gate) => html`<li class="check-${gate.status}"><span aria-hidden="true">${MARK[gate.status].sign}</span> ${gate.words.title} ${gate.words.detail} <span class="visually-hidden">${MARK[gate.status].word}</span></li>`)}
${rest.map(checkLine)}
</ul>
${failed ? failureDetail(failed, result.id) : ""}`;
}

interface GateSummary {
  readonly status: CheckResult["status"];
  /** The scoreboard's words for it. */
  readonly words: ReturnType<typeof gateWords>;
}

/** Earlier exercises' checks, run again as gates: one line each, as the scoreboard folds them. */
function groupGates(result: ExerciseResult): GateSummary[] {
  return [...gatesByExercise(result)].map(([exercise, checks]) => ({
    status: checks.some((check) => check.status === "failed")
      ? "failed"
      : checks.every((check) => check.status === "passed")
        ? "passed"
        : "skipped",
    words: gateWords(gateStanding(result, checks), exercise, checks.length),
  }));
}

/** The first failure: its message's lead, then its labelled parts (Sent, Received, Expected, Hint…) as a list. */
function failureDetail(check: CheckResult, exercise: string): SafeHtml {
  const { lead, parts } = readMessage(check.message ?? "");
  const earlier = check.exercise.slice(0, 2);
  // The grader's gateContext words, written into the markup (the scoreboard prints them as text).
  const context =
    !check.gate || check.exercise === exercise
      ? ""
      : check.changedTerms
        ? html`<p class="context">Exercise ${earlier} asked for this, and it runs again here as a later exercise changed it: ${check.changedTerms}</p>`
        : html`<p class="context">Exercise ${earlier} asked for this, and this exercise's app no longer does it: a change here broke it.</p>`;
  return html`<div class="failure">
<h3>First to fix: ${check.name}</h3>
${context}
${lead.length > 0 ? html`<p>${lead.join("\n")}</p>` : ""}
${parts.length > 0 ? html`<dl class="exchange">${parts.map(({ label, text }) => html`<dt>${label}</dt><dd><pre>${text}</pre></dd>`)}</dl>` : ""}
${check.output ? html`<details><summary>What the app printed</summary><pre>${check.output}</pre></details>` : ""}
${(check.hints?.length ?? 0) > 0 ? html`<p><a href="#hints">Stuck? The hints</a> (${String(check.hints!.length)}) show the way one at a time.</p>` : ""}
</div>`;
}

export interface MessagePart {
  readonly label: string;
  readonly text: string;
}

/**
 * The grader's message, read back into its parts: lines such as `Sent:     GET /` start a part, and the lines
 * indented under them continue it. What comes before the first label is the message's lead.
 */
export function readMessage(message: string): { lead: string[]; parts: MessagePart[] } {
  const lead: string[] = [];
  const parts: { label: string; lines: string[] }[] = [];
  for (const line of message.split("\n")) {
    const labelled = /^([A-Z][A-Za-z ]{1,20}):\s+(.*)$/.exec(line);
    if (labelled && (parts.length > 0 || !line.startsWith(" ")))
      parts.push({ label: labelled[1]!, lines: [labelled[2]!] });
    else if (parts.length > 0 && /^\s/.test(line)) parts.at(-1)!.lines.push(line.trim());
    else if (parts.length === 0) lead.push(line);
    else parts.at(-1)!.lines.push(line);
  }
  return {
    lead: lead.filter((line) => line.trim() !== ""),
    parts: parts.map(({ label, lines }) => ({ label, text: lines.join("\n") })),
  };
}
