import { constants } from "node:os";
import { stripVTControlCharacters } from "node:util";
import type { EndCause } from "../sandbox/app-process.js";
import type { GradingLimits } from "../shared.js";

/** Why the app's process is gone, in a sentence a learner can act on. */
export function describeEnd(cause: EndCause, limits: GradingLimits): string {
  switch (cause.kind) {
    case "exit-called":
      return `Your code called process.exit(${cause.code}): a server must never end the process it runs in (in production, the site for every visitor).\nHint:     Remove the call; to report a problem, answer with an error status (res.status(500).send(…)).`;
    case "uncaught":
      return `your code threw an error that nothing caught, and it ended the app: ${learnerText(cause.message)}`;
    case "exited": {
      // Under bubblewrap, a signal that ends the app reaches the grader as bwrap's exit code: 128 + the signal.
      const signal = cause.signal ?? signalOfExitCode(cause.code);
      return signal ? `the app's process was ended by ${signal}.` : `the app's process ended on its own (exit code ${String(cause.code)}).`;
    }
    case "memory":
      return cause.residentMb === undefined
        ? `the app used more than ${cause.limitMb} MB of memory and was stopped (memory limit). Does something grow on every request?`
        : `the app stopped answering while its memory grew (${cause.residentMb} MB of memory, of a ${cause.limitMb} MB limit), and was stopped. Does something grow on every request?`;
    case "unresponsive":
      return cause.stopped
        ? "the app's process was stopped (as by SIGSTOP) and answered nothing; it was ended."
        : `your code never gave control back (no answer for ${limits.requestMs / 1000} s, and the app no longer answered at all). Is there a loop that never ends?\nHint:     A loop in a handler (while, for) whose condition never becomes false blocks the whole app, for every visitor.`;
    case "never-started":
      return `the app's process could not start: ${cause.detail}`;
  }
}

/**
 * An error from the learner's code, told in the learner's terms: paths from their exercise folder
 * (src/app.ts:9:5, wherever the grader staged it), no colours, the message and the first frame of their code, no
 * frames of Node's or of the packages'.
 */
export function learnerText(text: string): string {
  const lines = stripVTControlCharacters(text)
    .replace(/\\/g, "/")
    // A staged file: …/<staging>/src/app.ts or …/<staging>/production/src/app.ts, with or without file://.
    .replace(/(?:file:\/\/)?[^\s"'(]*?\/(?:production\/)?(src\/[^\s"'():]+)/g, "$1")
    .split("\n");
  const message = lines.filter((line) => !/^\s+at /.test(line)).slice(0, 4);
  const frame = lines.find((line) => /^\s+at .*\bsrc\/[^\s)]+:\d+/.test(line) && !/node_modules/.test(line));
  const where = frame ? /\b(src\/[^\s)]+:\d+(?::\d+)?)/.exec(frame)?.[1] : undefined;
  // "Error: x" says no more than "x"; a TypeError or SyntaxError keeps its name.
  const head = message.join("\n").trim().replace(/^Error: /, "");
  return where && !head.includes(where) ? `${head} (at ${where})` : head;
}

function signalOfExitCode(code: number | null): string | undefined {
  if (code === null || code <= 128) return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0];
}

/** A cause told on its own line (an exercise's error): it starts with a capital. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
