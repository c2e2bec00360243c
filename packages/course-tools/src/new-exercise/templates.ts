/**
 * The skeletons `pnpm new-exercise` writes. Every place the author still has to write carries AUTHOR_TODO, so that
 * `pnpm verify` can name an exercise that is not finished, and the files to finish it in.
 */
export const AUTHOR_TODO = "TODO(author)";

/** What a new exercise is called in its files: `04-sign-cookie`, number `04`, region `sign-cookie`. */
export interface NewExerciseNames {
  readonly slug: string;
  readonly number: string;
  /** The slug without its number: names the solution region and its starter.md section. */
  readonly name: string;
  /** The exercise it grows from: `03-logout`. */
  readonly previous: string;
}

/** The region the new solution's code goes in, placed at the end of createApp(). */
export function solutionRegion({ name }: NewExerciseNames, indent: string): string {
  return [
    `// #region solution: ${name}`,
    `// ${AUTHOR_TODO}: the code this exercise asks for. In the starter, starter.md's "## ${name}" replaces this region.`,
    "// #endregion",
  ]
    .map((line) => indent + line)
    .join("\n");
}

export function starterMarkdown({ slug, name }: NewExerciseNames): string {
  return `# Starter of ${slug}

Instructors: \`pnpm starters\` replaces each \`// #region solution: NAME\` of this solution with the code block under
\`## NAME\` below, and writes the result to \`exercises/${slug}\`. \`pnpm verify\` fails when they differ.

## ${name}

\`\`\`ts
// 🐨 ${AUTHOR_TODO}: what the learner writes here, in a sentence or two (the task, not the answer).
// 🦉 Why it matters.
// 📜 What to read: the lesson's section, MDN, the RFC, the Express API.
\`\`\`
`;
}

/** The learner's README, in the order of the others: task, checks, markers, helpers, run, grade, read more. */
export function exerciseReadme({ number, previous }: NewExerciseNames): string {
  const earlier = Number(number) - 1;
  const through = earlier === 1 ? "01" : `01 to ${String(earlier).padStart(2, "0")}`;
  return `# ${number} · ${AUTHOR_TODO}: the exercise's title (it is also its row in the README's exercise table)

${AUTHOR_TODO}: what the learner builds, and why, in two or three sentences. This starter is the solution of
${previous.slice(0, 2)} plus one new TODO.

📖 ${AUTHOR_TODO}: the lesson's section that prepares for it ([the lesson](../../lesson/README.md)).

## Your task

Open [\`src/app.ts\`](src/app.ts) and follow the 🐨 at the end of \`createApp\`.

## What will be checked

- ${AUTHOR_TODO}: one line per check of \`packages/grader/src/checks/${number}-….ts\`, as the learner sees it.
- Everything from exercise${earlier === 1 ? "" : "s"} ${through} still holds.

## Marker key

| marker | meaning |
| --- | --- |
| 🐨 | do this |
| 🦉 | why it matters |
| 📜 | reference to read |

The code gives no answers away. Stuck? \`pnpm test ${number}\` names the first check that fails and explains it, and
\`pnpm hint ${number}\` shows that check's hints one at a time: a nudge first, then the API to use, the code itself last.

## Helpers you may use

${AUTHOR_TODO}: what is already in \`app.ts\` or \`@cookie-course/cookie-utils\` for this step.

## Run it

\`\`\`sh
pnpm dev ${number}
\`\`\`

${AUTHOR_TODO}: what to open in the browser, and what to watch in DevTools → Application → Cookies.

## Grade it

\`\`\`sh
pnpm test ${number}
\`\`\`

The grader runs every check listed above against your app and prints each one: ✓ passed, ✗ failed, ↓ skipped
(until the check it builds on passes). For the first failure it shows the request it sent, what came back (status
and every \`Set-Cookie\` attribute), what it expected, and a hint. Fix that one, save, and run it again: an
exercise you have not changed is not graded again. \`pnpm test\` grades every exercise and shows the scoreboard.

When it passes, compare your code with the solution: \`pnpm solution ${number}\` shows the difference. (A learner edition has
no solutions and no \`pnpm solution\`.)

## Read more

- 📜 ${AUTHOR_TODO}: the references (Express 5 API, MDN, RFC 6265 section).
`;
}

/** The exercise's visible checks: an empty group, with a commented model of a check to copy. */
export function checkModule({ slug, number }: NewExerciseNames): string {
  return `import type { CheckGroup } from "../harness/check.js";
// The checks below use these (see 03-logout.ts for more models):
// import { get, isHtml } from "../harness/exchange.js";
// import { fail } from "../harness/failure.js";

const EXERCISE = "${slug}";

/**
 * The checks of ${slug}. ${AUTHOR_TODO}: write them. Each earns points in this exercise (later exercises run it again
 * for none), has a sentence for a name, hints from a nudge to the code, and a failure message that teaches. Until
 * this group has a check, \`pnpm verify\` says the exercise has no checks yet.
 */
export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    // {
    //   id: "${number}.example-page",
    //   name: "GET /example answers 200 with an HTML page",
    //   points: 2,
    //   hints: ["A nudge: what the page must do.", "The API to use.", "The code itself."],
    //   async run({ app }) {
    //     const exchange = await get(await app(), "/example");
    //     if (exchange.status === 200 && isHtml(exchange)) return;
    //     fail("GET /example does not answer 200 with a page.", {
    //       exchange,
    //       expected: "status 200 and text/html",
    //       hint: "Add a GET /example handler that sends a page.",
    //     });
    //   },
    // },
  ],
};
`;
}

/** The exercise's hidden checks: none yet. The grader requires this module wherever checks/hidden/ exists. */
export function hiddenCheckModule({ slug }: NewExerciseNames): string {
  return `import type { Check } from "../../harness/check.js";

/**
 * Checks of ${slug} that ship only with the course, not with the learner edition (Gradescope's "hidden" tests):
 * they grade what the visible checks cannot give away. None yet.
 */
export const hiddenChecks: readonly Check[] = [];
`;
}

/**
 * The grader's fixtures for the exercise, in one file: the solution as it is (it must pass), and a commented model of
 * a broken variant, a few edits of the solution's files. The grader's tests want eight at least, right and wrong.
 */
export function fixtureSetModule({ slug, number }: NewExerciseNames): string {
  return `import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/${slug}, each a few edits of its files, with the verdict the grader must reach.
// ${AUTHOR_TODO}: eight fixtures at least, right and wrong; each broken one fails exactly the checks it names.
export default fixtureSet("${slug}", [
  {
    name: "${number}-ok-solution",
    about: "The solution as it is: every check passes.",
    status: "passed",
    failing: [],
  },
  // {
  //   name: "${number}-no-http-only",
  //   about: "Sets the cookie without HttpOnly: a script on the page can read it.",
  //   status: "failed",
  //   failing: ["${number}.example-page"],
  //   messages: { "${number}.example-page": "HttpOnly" },
  //   // Each edit: a text of the file (it must occur once) and what replaces it.
  //   edits: { "app.ts": [["httpOnly: true", "httpOnly: false"]] },
  // },
]);
`;
}
