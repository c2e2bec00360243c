import { describe, expect, it } from "vitest";
import { readHostMessage } from "../../src/sandbox/protocol.js";

describe("readHostMessage(value): the app process's messages are untrusted", () => {
  it("reads the messages it knows, keeping only their known fields", () => {
    expect(readHostMessage({ op: "ready", extra: "x" })).toEqual({ op: "ready" });
    expect(readHostMessage({ op: "answer", id: 3, ok: true, sneaky: 1 })).toEqual({ op: "answer", id: 3, ok: true });
    expect(readHostMessage({ op: "answer", id: 4, ok: false, kind: "create-app-threw", message: "boom" })).toEqual({
      op: "answer",
      id: 4,
      ok: false,
      kind: "create-app-threw",
      message: "boom",
    });
  });

  it.each([
    ["null", null],
    ["a string", "ready"],
    ["an unknown op", { op: "grade", status: "passed" }],
    ["an answer without an id", { op: "answer", ok: true }],
    ["an answer with a fractional id", { op: "answer", id: 1.5, ok: true }],
    ["an answer whose ok is truthy but not true", { op: "answer", id: 1, ok: "yes" }],
    ["an error of an unknown kind", { op: "answer", id: 1, ok: false, kind: "passed", message: "x" }],
    ["an error without a message", { op: "answer", id: 1, ok: false, kind: "load-failed" }],
  ])("ignores %s", (_label, value) => {
    expect(readHostMessage(value)).toBeUndefined();
  });

  it("cuts long texts to 4 kB", () => {
    const message = readHostMessage({ op: "uncaught", message: "x".repeat(1_000_000) });
    expect(message).toEqual({ op: "uncaught", message: "x".repeat(4096) });
  });
});
