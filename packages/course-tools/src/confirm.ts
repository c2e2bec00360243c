import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { UsageError } from "./errors.js";

/**
 * Asks y/N on a terminal; `--yes` answers for scripts. "No" is an answer, not an error: the caller says what was
 * left as it was and exits 0. Without a terminal to ask in and without --yes, nothing can be confirmed: exit 2.
 */
export async function confirm(
  yes: boolean | undefined,
  question: string,
  terminal: Terminal = processTerminal(),
): Promise<boolean> {
  if (yes) return true;
  if (!terminal.isTTY) throw new UsageError(`no terminal to ask "${question}" in: add --yes to confirm.`);
  const prompt = createInterface({ input: terminal.input, output: terminal.output });
  // Ctrl+C at the question is a "no" too (the terminal is in raw mode: readline reports it, no signal is sent).
  const cancel = new AbortController();
  prompt.once("SIGINT", () => cancel.abort());
  try {
    const answer = await prompt.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (cancel.signal.aborted) {
      terminal.output.write("\n");
      return false;
    }
    throw error;
  } finally {
    prompt.close();
  }
}

/** Where the question is asked: the process's own terminal, or a stand-in in tests. */
export interface Terminal {
  readonly isTTY: boolean;
  readonly input: Readable;
  readonly output: Writable;
}

function processTerminal(): Terminal {
  return { isTTY: process.stdin.isTTY === true, input: process.stdin, output: process.stdout };
}
