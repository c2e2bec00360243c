import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Check } from "../src/harness/check.js";
import { checkGroupsFor } from "../src/checks/groups.js";

/**
 * The progressive hints (`pnpm hint NN`) are read next to the learner's starter: a hint that names a variable the
 * starter does not have, or a starter that already holds the snippet its last hint gives, sends the learner astray.
 */
const exercisesDir = fileURLToPath(new URL("../../../exercises/", import.meta.url));
const exercises = readdirSync(exercisesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-/.test(entry.name))
  .map((entry) => entry.name);

/**
 * Names a hint may use that no starter declares: the Express, Node and cookie-utils API the lesson teaches, read
 * from the lesson's code (so a new exercise's lesson section teaches its names). Any other camelCase or UPPER_SNAKE
 * name, or any `quoted` name, must be one the exercise's starter has.
 */
const lessonCode = [
  ...readFileSync(fileURLToPath(new URL("../../../lesson/README.md", import.meta.url)), "utf8").matchAll(
    /```ts\n([\s\S]*?)```/g,
  ),
]
  .map(([, code]) => code)
  .join("\n");
const TAUGHT_API = new Set([
  ...(lessonCode.match(/\b[A-Za-z_$][\w$]*\b/g) ?? []),
  "escapeHtml",
  "toISOString",
  "toUTCString",
  "ERR_HTTP_HEADERS_SENT",
]);

function starterOf(exercise: string): string {
  const src = join(exercisesDir, exercise, "src");
  return readdirSync(src)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(src, file), "utf8"))
    .join("\n");
}

/** The code names a hint uses: camelCase and UPPER_SNAKE words, and names quoted in backticks (`now`). */
function namesIn(hint: string): string[] {
  const words = hint.match(/\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g) ?? [];
  const quoted = [...hint.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map(([, name]) => name!);
  return [...new Set([...words, ...quoted])];
}

/** A hint that gives code to copy starts with it: the code, up to its first `;` (the rest explains it). */
function snippetOf(hint: string): string | undefined {
  if (!/^(?:const |let |res\.|req\.|app\.|html`)/.test(hint)) return undefined;
  const end = hint.indexOf(";");
  return (end > 0 ? hint.slice(0, end) : hint).trim();
}

/**
 * The checks each exercise adds (not the earlier exercises' checks it runs again), with hints; and its help for an
 * earlier check that fails in the terms it changed (`adaptsHelp`), whose hints are read the same way.
 */
async function hintedChecksOf(exercise: string): Promise<Pick<Check, "id" | "hints">[]> {
  const own = ((await checkGroupsFor(exercise)) ?? []).filter((group) => group.exercise === exercise);
  return [
    ...own.flatMap((group) => group.checks.filter((check) => check.hints !== undefined)),
    ...own.flatMap((group) =>
      group.adaptsHelp ? [{ id: `${exercise}'s adaptsHelp`, hints: group.adaptsHelp.hints }] : [],
    ),
  ];
}

describe("the hints of each exercise's checks", () => {
  it("cover every exercise folder", async () => {
    expect(exercises.length).toBeGreaterThan(0);
    for (const exercise of exercises) expect(await hintedChecksOf(exercise), exercise).not.toHaveLength(0);
  });

  it.each(exercises)("%s: name only what its starter has, or the API the lesson teaches", async (exercise) => {
    const starter = starterOf(exercise);
    const unknown = (await hintedChecksOf(exercise)).flatMap((check) =>
      check.hints!.flatMap((hint) =>
        namesIn(hint)
          .filter((name) => !TAUGHT_API.has(name) && !new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(starter))
          .map((name) => `${check.id}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it.each(exercises)(
    "%s: go from a nudge to the snippet, which its starter does not already hold",
    async (exercise) => {
      const starter = starterOf(exercise);
      for (const check of await hintedChecksOf(exercise)) {
        const hints = check.hints!;
        expect(hints.length, check.id).toBeGreaterThanOrEqual(2);
        // Only the last hint gives code to copy: the earlier ones point the way.
        expect(hints.slice(0, -1).map(snippetOf), check.id).toEqual(hints.slice(0, -1).map(() => undefined));
        const snippet = snippetOf(hints.at(-1)!);
        if (snippet) expect(starter, check.id).not.toContain(snippet);
      }
    },
  );

  it.each(exercises)("%s: its starter carries no 💰 snippet: the answer lives in the hints", (exercise) => {
    expect(starterOf(exercise)).not.toContain("💰");
  });
});
