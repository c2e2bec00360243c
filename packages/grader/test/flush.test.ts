import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { whenWritten } from "../src/flush.js";

/** A stream whose writes end only when the test says so, as a pipe's do when its reader is slow. */
function slowPipe() {
  const pending: (() => void)[] = [];
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      pending.push(() => callback());
    },
  });
  return { stream, takeOne: () => pending.shift()?.() };
}

describe("whenWritten", () => {
  it("waits until what was written before has been taken, then resolves", async () => {
    const pipe = slowPipe();
    pipe.stream.write("a report longer than the pipe");
    let written = false;
    const done = whenWritten([pipe.stream]).then(() => (written = true));
    // Turns of the event loop pass with the report still in the pipe: not written yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(false);
    pipe.takeOne();
    // Then the empty write queued behind it goes through.
    await new Promise((resolve) => setImmediate(resolve));
    pipe.takeOne();
    await done;
    expect(written).toBe(true);
  });

  it("resolves at once for streams with nothing pending, and for none", async () => {
    const quick = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await expect(whenWritten([quick, quick])).resolves.toBeUndefined();
    await expect(whenWritten([])).resolves.toBeUndefined();
  });
});
