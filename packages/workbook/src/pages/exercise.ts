import { readFileSync } from "node:fs";
import { join } from "node:path";
import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import { hintKey, type ExerciseProgress } from "@cookie-course/grader/progress";
import { firstFailure, type ExerciseResult } from "@cookie-course/grader/report";
import { renderAppOutput } from "../app-output.js";
import type { AppStatus } from "../app-runner.js";
import type { Exercise } from "../course.js";
import { renderMarkdown } from "../markdown.js";
import { gradePanel } from "./grade-panel.js";

export interface ExercisePageInput {
  readonly exercise: Exercise;
  readonly root: string;
  readonly result: ExerciseResult | undefined;
  readonly graderFailure: string | undefined;
  readonly gradedAt: Date | undefined;
  readonly progress: ExerciseProgress | undefined;
  readonly app: AppStatus;
  readonly jar: SafeHtml;
  /** The path the app's frame showed last (a reload of the page shows it again). */
  readonly framePath: string;
}

/** An exercise's page: its README beside its live grade, its hints, the app itself and its cookie jar. */
export function exercisePage({
  exercise,
  root,
  result,
  graderFailure,
  gradedAt,
  progress,
  app,
  jar,
  framePath,
}: ExercisePageInput): SafeHtml {
  const { slug, number } = exercise.app;
  const readme = readFileSync(join(exercise.app.dir, "README.md"), "utf8");
  return html`<nav class="jump" aria-label="On this page"><a href="#grade">Live grade</a> · <a href="#hints">Hints</a> · <a href="#app">Your app</a> · <a href="#jar">Cookies</a></nav>
<div class="exercise-page">
<article class="readme" aria-label="The exercise">
${renderMarkdown(readme, `exercises/${slug}/README.md`, root, { appFrame: true })}
</article>
<div class="work">
${gradePanel(slug, result, graderFailure, gradedAt)}
${hintsPanel(exercise, result, progress)}
${appPanel(number, app, framePath)}
${jar}
${exercise.solutionDir ? html`<section class="panel" aria-labelledby="solution-title"><h2 id="solution-title">Solution (instructor edition)</h2><p><a href="/exercises/${slug}/solution">Compare this exercise with its solution</a>, after a confirmation.</p></section>` : ""}
</div>
</div>`;
}

/**
 * The hints of the first failed check, one more each time the button is pressed: the same hints, and the same
 * count in `.course/progress.json`, as `pnpm hint NN`. A form, so it works without script.
 */
export function hintsPanel(
  exercise: Exercise,
  result: ExerciseResult | undefined,
  progress: ExerciseProgress | undefined,
): SafeHtml {
  const failed = result ? firstFailure(result) : undefined;
  const hints = failed?.hints ?? [];
  const shown = failed ? Math.min(progress?.hintsShown?.[hintKey(failed)] ?? 0, hints.length) : 0;
  let content: SafeHtml;
  if (!result) content = html`<p>Hints come with the first grade.</p>`;
  else if (!failed)
    content = html`<p>${result.status === "passed" ? "This exercise passes: no hint needed." : "Nothing failed to give a hint for."}</p>`;
  else if (hints.length === 0)
    content = html`<p>No hints for “${failed.name}”: its message above says what was expected.</p>`;
  else {
    content = html`<p>For “${failed.name}”: ${String(shown)} of ${String(hints.length)} shown.</p>
${shown > 0 ? html`<ol class="hints">${hints.slice(0, shown).map((hint) => html`<li>${hint}</li>`)}</ol>` : ""}
${shown < hints.length ? html`<form method="post" action="/exercises/${exercise.app.slug}/hints"><input type="hidden" name="check" value="${failed.id}"><button type="submit">Show hint ${String(shown + 1)} of ${String(hints.length)}</button></form>` : html`<p>That was the last hint for this check.</p>`}`;
  }
  return html`<section id="hints" class="panel" aria-labelledby="hints-title"><h2 id="hints-title">Hints</h2><div id="hints-body">${content}</div></section>`;
}

const APP_STATE_WORDS: Record<AppStatus["state"], string> = {
  stopped: "not running",
  starting: "starting",
  running: "running",
  "not-answering": "not answering",
  ended: "ended; it starts again on your next save",
};

/**
 * The learner's app, in a frame of the page. Its pages come through the workbook's recording proxy at their own
 * paths (the frame's `/` is the app's `/`), so the jar panel sees every cookie they send and set.
 */
export function appPanel(number: string, app: AppStatus, framePath = "/"): SafeHtml {
  return html`<section id="app" class="panel" aria-labelledby="app-title">
<h2 id="app-title">Your app</h2>
<div id="app-status">${appStatus(app)}</div>
<iframe src="${framePath}" title="Your app for exercise ${number}" name="app"></iframe>
<form class="app-nav" method="get" action="/-/go" target="app"><label for="app-path">Open in the frame</label> <input id="app-path" name="path" value="${framePath}" spellcheck="false" autocomplete="off"> <button type="submit">Go</button></form>
</section>`;
}

export function appStatus(app: AppStatus): SafeHtml {
  const troubled = app.state === "not-answering" || app.state === "ended";
  return html`<p>Exercise ${app.exercise?.slice(0, 2) ?? ""}'s app is <strong>${APP_STATE_WORDS[app.state]}</strong>${app.detail ? html`: ${app.detail.replace(/\.$/, "")}` : ""}. It restarts by itself on every save (the frame shows the new code from its next page).</p>
${app.output.trim() ? renderAppOutput(app.output, { open: troubled }) : ""}`;
}
