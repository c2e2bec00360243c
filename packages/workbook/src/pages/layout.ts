import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import type { Course, ExerciseStanding } from "../course.js";

export interface PageFrame {
  readonly title: string;
  readonly course: Course;
  readonly standings: ReadonlyMap<string, ExerciseStanding>;
  /** The page's own place in the course nav: "lesson", an exercise's slug, or undefined for the start page. */
  readonly here?: string | undefined;
  readonly body: SafeHtml;
}

const MARKS: Record<ExerciseStanding, string> = { done: "✓", current: "▶", next: "·", later: "·" };

/**
 * Every workbook page: a skip link, the course (the lesson and each exercise with where it stands), the page's
 * own content. Plain HTML that reads without script; workbook.js only swaps in what the server pushes.
 */
export function layout({ title, course, standings, here, body }: PageFrame): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · cookie-course workbook</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/-/static/workbook.css">
<link rel="stylesheet" href="/-/static/jar.css">
<script type="module" src="/-/static/workbook.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="site">
<p class="brand"><a href="/">cookie-course workbook</a></p>
${courseNav(course, standings, here)}
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.toString();
}

export function courseNav(
  course: Course,
  standings: ReadonlyMap<string, ExerciseStanding>,
  here: string | undefined,
): SafeHtml {
  return html`<nav id="course-nav" aria-label="Course">
<ol>
<li><a href="/lesson"${here === "lesson" ? html` aria-current="page"` : ""}>Lesson</a></li>
${course.exercises.map(({ app, title }) => {
  const standing = standings.get(app.slug) ?? "next";
  return html`<li class="standing-${standing}"><a href="/exercises/${app.slug}"${here === app.slug ? html` aria-current="page"` : ""}><span aria-hidden="true">${MARKS[standing]}</span> ${app.number} · ${title} <span class="standing">(${standing})</span></a></li>`;
})}
</ol>
</nav>`;
}
