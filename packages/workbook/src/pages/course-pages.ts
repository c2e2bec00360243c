import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import type { Course, ExerciseStanding } from "../course.js";
import { renderMarkdown } from "../markdown.js";

/** The start page: what the workbook is, and the course with where the learner stands. */
export function homePage(course: Course, standings: ReadonlyMap<string, ExerciseStanding>): SafeHtml {
  const current = course.exercises.find(({ app }) => standings.get(app.slug) === "current");
  return html`<h1>The cookie-course workbook</h1>
<p>Read <a href="/lesson">the lesson</a>, then work the exercises in order. Each exercise's page shows its task,
its live grade (graded again on every save of its files), its hints, your app running in the page, and the cookies
your browser holds for it, HttpOnly ones included.</p>
${current ? html`<p class="next-step"><a href="/exercises/${current.app.slug}">Go on with ${current.app.number} · ${current.title}</a></p>` : html`<p class="next-step">Every exercise passes. Well played!</p>`}
<table>
<caption>The exercises</caption>
<thead><tr><th scope="col">#</th><th scope="col">Exercise</th><th scope="col">Where you stand</th></tr></thead>
<tbody>
${course.exercises.map(({ app, title }) => html`<tr><td>${app.number}</td><td><a href="/exercises/${app.slug}">${title}</a></td><td>${standings.get(app.slug) ?? "next"}</td></tr>`)}
</tbody>
</table>
<p>Your progress stays on this machine, in <code>.course/progress.json</code>. Nothing here goes to the network.</p>`;
}

export function lessonPage(root: string): SafeHtml {
  return html`<article class="readme">${renderMarkdown(readFileSync(join(root, "lesson", "README.md"), "utf8"), "lesson/README.md", root)}</article>`;
}

/** A file of the course that a README links to: Markdown rendered, anything else as text. */
export function filePage(root: string, path: string, absolute: string): SafeHtml {
  if (path.endsWith(".md"))
    return html`<article class="readme">${renderMarkdown(readFileSync(absolute, "utf8"), path, root)}</article>`;
  return html`<h1><code>${path}</code></h1>
<pre class="source">${readFileSync(absolute, "utf8")}</pre>`;
}

/** A folder of the course that a README links to: its entries. */
export function folderPage(path: string, absolute: string): SafeHtml {
  const entries = readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => !HIDDEN_ENTRIES.has(entry.name) && !entry.name.startsWith("."))
    .map((entry) =>
      entry.isDirectory() || statSync(join(absolute, entry.name)).isDirectory() ? `${entry.name}/` : entry.name,
    )
    .sort();
  return html`<h1><code>${path}/</code></h1>
<ul>${entries.map((entry) => html`<li><a href="${entry.split("/")[0]!.split("/").map(encodeURIComponent).join("/")}${entry.endsWith("/") ? "/" : ""}">${entry}</a></li>`)}</ul>`;
}

/** Never listed or served: installed packages, build output, the learner's private progress. */
export const HIDDEN_ENTRIES = new Set(["node_modules", "dist", "reports", ".course", ".git", ".turbo", "coverage"]);
