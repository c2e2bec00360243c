import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import type { Exercise } from "../course.js";

/** The question first: the diff gives the answer away, so it is shown only after a confirmation (a form). */
export function solutionConfirmPage(exercise: Exercise): SafeHtml {
  const { slug, number } = exercise.app;
  return html`<h1>The solution of ${number} · ${exercise.title}</h1>
<p>This shows the difference between your exercise and its solution. It gives the answer away: have you tried the
hints on <a href="/exercises/${slug}#hints">the exercise's page</a>?</p>
<form method="post" action="/exercises/${slug}/solution">
<button type="submit">Yes, show the solution</button>
</form>
<p><a href="/exercises/${slug}">No, back to the exercise</a></p>`;
}

/** The difference, file by file: removed lines (yours) and added lines (the solution's), marked by sign and look. */
export function solutionDiffPage(exercise: Exercise, patches: readonly { file: string; patch: string }[]): SafeHtml {
  const { slug, number } = exercise.app;
  return html`<h1>Your ${number} beside its solution</h1>
<p>Lines that start with <code>-</code> are yours; lines that start with <code>+</code> are the solution's.
<a href="/exercises/${slug}">Back to the exercise</a>.</p>
${
  patches.length === 0
    ? html`<p>Your ${slug} is the solution, to the letter.</p>`
    : patches.map(
        ({
          file,
          patch,
        }) => html`<section aria-labelledby="diff-${file}"><h2 id="diff-${file}"><code>src/${file}</code></h2>
<pre class="diff">${patch
          .split("\n")
          .slice(2)
          .map((line) => html`<span class="${lineClass(line)}">${line}</span>\n`)}</pre></section>`,
      )
}`;
}

function lineClass(line: string): string {
  if (line.startsWith("+") && !line.startsWith("+++")) return "added";
  if (line.startsWith("-") && !line.startsWith("---")) return "removed";
  if (line.startsWith("@@")) return "hunk";
  return "context";
}
