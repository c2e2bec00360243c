import { stripVTControlCharacters } from "node:util";
import { html, type SafeHtml } from "@cookie-course/cookie-utils";

/** How many of the last lines printed are shown unfolded when no line stands out as the error. */
const LINES_SHOWN = 12;

/**
 * What the learner's app printed last, read for the page: the line that says what went wrong first (a syntax
 * error with its file:line, a thrown error with the first line of the app's own code it went through), the rest
 * folded. esbuild's and Node's stack frames say where in *their* code the error surfaced, which a learner cannot
 * act on; the grader says a syntax error the same way ("syntax error at src/app.ts:116:29: Expected ")" …").
 */
export interface ReadOutput {
  /** The meaningful line, when one is found. */
  readonly headline: string | undefined;
  /** Everything printed (the last lines kept), colours stripped. */
  readonly all: string;
}

export function readAppOutput(output: string): ReadOutput {
  // The runner strips colours chunk by chunk; a colour code cut between two chunks survives that.
  const all = stripVTControlCharacters(output).trim();
  return { headline: syntaxError(all) ?? thrownError(all), all };
}

/** esbuild, through tsx: `/abs/path/src/app.ts:2:18: ERROR: Expected ")" but found ";"`. */
function syntaxError(output: string): string | undefined {
  const match = /^(.*?):(\d+):(\d+): ERROR: (.+)$/m.exec(output);
  return match ? `syntax error at ${appPath(match[1]!)}:${match[2]}:${match[3]}: ${match[4]!.trim()}` : undefined;
}

/** Node's report of an uncaught error: `TypeError: x is not a function`, then `at … (…/src/app.ts:12:5)`. */
function thrownError(output: string): string | undefined {
  const lines = output.split("\n");
  const index = lines.findIndex((line) =>
    /^(?:Uncaught )?[A-Z]\w*(?:Error|Exception)(?: \[\w+\])?: \S/.test(line.trim()),
  );
  if (index === -1) return undefined;
  const frame = lines
    .slice(index + 1)
    .map((line) => /^\s*at .*?\(?(?:file:\/\/)?([^\s()]*[/\\]src[/\\][^\s()]+?:\d+:\d+)\)?$/.exec(line))
    .find((match) => match && !/node_modules/.test(match[1]!));
  return `${lines[index]!.trim()}${frame ? ` (at ${appPath(frame[1]!)})` : ""}`;
}

/** A file of the app as the learner knows it: `src/app.ts`, not the absolute path on this machine. */
function appPath(path: string): string {
  const normalized = path.replace(/\\/g, "/");
  const at = normalized.lastIndexOf("/src/");
  return at === -1 ? normalized : normalized.slice(at + 1);
}

/**
 * The output for the page: the meaningful line, then everything folded; or, with no such line, the last lines as
 * they are. Escaped by `html`: the app prints what it likes.
 */
export function renderAppOutput(output: string, { open = true }: { open?: boolean } = {}): SafeHtml {
  const { headline, all } = readAppOutput(output);
  if (all === "") return html`<p>It printed nothing.</p>`;
  if (headline === undefined) {
    const last = all.split("\n").slice(-LINES_SHOWN).join("\n");
    return html`<details${open ? html` open` : ""}><summary>What the app printed last</summary><pre>${last}</pre></details>`;
  }
  return html`<p>What went wrong, as the app printed it: <strong><code>${headline}</code></strong></p>
<details><summary>Everything the app printed last</summary><pre>${all}</pre></details>`;
}
