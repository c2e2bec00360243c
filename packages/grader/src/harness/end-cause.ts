import { constants } from "node:os";
import { stripVTControlCharacters } from "node:util";
import type { EndCause } from "../sandbox/app-process.js";
import type { GradingLimits } from "../shared.js";

/** Why the app's process is gone, in a sentence a learner can act on. */
export function describeEnd(cause: EndCause, limits: GradingLimits): string {
  switch (cause.kind) {
    case "exit-called":
      return `your code called process.exit(${cause.code}): a server must never end the process it runs in (in production, the site for every visitor).\nHint:     Remove the call; to report a problem, answer with an error status (res.status(500).send(…)).`;
    case "uncaught":
      return `your code threw an error that nothing caught, and it ended the app: ${learnerText(cause.message)}`;
    case "exited": {
      // Under bubblewrap, a signal that ends the app reaches the grader as bwrap's exit code: 128 + the signal.
      const signal = cause.signal ?? signalOfExitCode(cause.code);
      return signal
        ? `the app's process was ended by ${signal}.`
        : `the app's process ended on its own (exit code ${String(cause.code)}).`;
    }
    case "memory":
      if (cause.socketMb !== undefined) {
        return `the app held more than ${cause.limitMb} MB of memory and was stopped (memory limit): ${cause.residentMb ?? 0} MB resident, and ${cause.socketMb} MB of data in the kernel's socket buffers of its connections (sent, and never read). Does something open connections, or write to them, without end?`;
      }
      // Past the limit, it is told as past the limit, whichever of the watchdog or the unanswered request saw it first.
      if (cause.residentMb === undefined || cause.residentMb > cause.limitMb) {
        const held = cause.residentMb === undefined ? "" : ` (${cause.residentMb} MB)`;
        return `the app used more than ${cause.limitMb} MB of memory${held} and was stopped (memory limit). Does something grow on every request?`;
      }
      return `the app stopped answering while its memory grew (${cause.residentMb} MB of memory, of a ${cause.limitMb} MB limit), and was stopped. Does something grow on every request?`;
    case "unresponsive":
      if (cause.stopped) return "the app's process was stopped (as by SIGSTOP) and answered nothing; it was ended.";
      if (cause.grew) {
        return `your code never gave control back (no answer for ${limits.requestMs / 1000} s, and the app no longer answered at all), and its memory grew meanwhile (${cause.grew.residentMb} MB of memory, of a ${cause.grew.limitMb} MB limit). Is there a loop that never ends? Or something that grows on every request?\nHint:     A loop whose condition never becomes false blocks the whole app; so does an array or a string that grows without end.`;
      }
      return `your code never gave control back (no answer for ${limits.requestMs / 1000} s, and the app no longer answered at all). Is there a loop that never ends?\nHint:     A loop in a handler (while, for) whose condition never becomes false blocks the whole app, for every visitor.`;
    case "never-started":
      return `the app's process could not start: ${cause.detail}`;
  }
}

/**
 * An error from the learner's code, told in the learner's terms: paths from their exercise folder
 * (src/app.ts:9:5, wherever the grader staged it), no colours, the message and the first frame of their code, no
 * frames of Node's or of the packages'. Linear in the length of the text: an app chooses its errors, and one of
 * 100 kB must cost the grader milliseconds (a pattern that backtracked took seconds, and the app's time limit).
 */
export function learnerText(text: string): string {
  const raw = stripVTControlCharacters(text).replace(/\\/g, "/").split("\n");
  const lines = raw.map(withoutStagingPaths);
  const message = lines.filter((line) => !FRAME.test(line)).slice(0, 4);
  let where: string | undefined;
  for (const [index, line] of lines.entries()) {
    // A package's own files (node_modules/express/src/…) are not the learner's, once their paths are cleaned too.
    if (raw[index]!.includes("node_modules")) continue;
    where = learnerFrame(line);
    if (where) break;
  }
  // "Error: x" says no more than "x"; a TypeError or SyntaxError keeps its name.
  const head = message
    .join("\n")
    .trim()
    .replace(/^Error: /, "");
  return where && !head.includes(where) ? `${head} (at ${where})` : head;
}

/**
 * The learner's line an error of their code points at (`src/app.ts:12`), from the error as the app reported it: its
 * message (a syntax error names its line) or its first frame in their code.
 */
export function learnerLine(text: string): string | undefined {
  return /(src\/[\w./-]+\.[cm]?[jt]s:\d+)/.exec(learnerText(text))?.[1];
}

/** A stack frame's line: `    at createApp (…)`. */
const FRAME = /^\s+at /;

/**
 * A staged file's path made the learner's: `…/<staging>/src/app.ts` or `…/<staging>/production/src/app.ts`, with or
 * without file://, becomes `src/app.ts`. Within each run of characters that can be a path, everything up to the
 * first `/src/` that a file name follows is dropped. Each run is searched forward only, a bounded number of times.
 */
function withoutStagingPaths(text: string): string {
  return text.replace(/[^\s"'(]+/g, (run) => {
    let cleaned = "";
    let from = 0;
    for (;;) {
      // A file URL's own slashes are no folder's (file://src/… is not a staged path), unless nothing else is.
      let at = run.startsWith("file://", from) ? stagedSource(run, from + 7) : -1;
      if (at === -1) at = stagedSource(run, from);
      if (at === -1) break;
      // The file's path runs to a line number (`:9`) or the end of a frame (`)`).
      let end = at + 5;
      while (end < run.length && run[end] !== ":" && run[end] !== ")") end++;
      cleaned += run.slice(at + 1, end);
      from = end;
    }
    return cleaned + run.slice(from);
  });
}

/** Where the first `/src/` at or after `start` is, that a file name follows; -1 when there is none. */
function stagedSource(run: string, start: number): number {
  for (let at = run.indexOf("/src/", start); at !== -1; at = run.indexOf("/src/", at + 1)) {
    const next = run[at + 5];
    if (next !== undefined && next !== ":" && next !== ")") return at;
  }
  return -1;
}

/** `src/app.ts:12:5` when `line` is a stack frame in a file of `src/`. */
function learnerFrame(line: string): string | undefined {
  if (!FRAME.test(line)) return undefined;
  for (const token of line.split(/[\s()]+/)) {
    const location = /^src\/[^:]+:\d+(?::\d+)?/.exec(token)?.[0];
    if (location) return location;
  }
  return undefined;
}

function signalOfExitCode(code: number | null): string | undefined {
  if (code === null || code <= 128) return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0];
}

/** A cause told on its own line (an exercise's error): it starts with a capital. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
