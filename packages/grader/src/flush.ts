import type { Writable } from "node:stream";

/**
 * Resolves once everything written so far to these streams has been taken by what they lead to. `process.exit()`
 * drops what a pipe has not taken yet (stdout and stderr are asynchronous on pipes): a report printed with
 * `--format` is often more than a pipe's 64 kB, and a gradebook script that starts reading late got cut JSON.
 */
export function whenWritten(streams: readonly Writable[]): Promise<void> {
  // An empty write is queued behind the ones before it: its callback runs when they are done.
  return Promise.all(streams.map((stream) => new Promise<void>((resolve) => stream.write("", () => resolve())))).then(
    () => undefined,
  );
}
