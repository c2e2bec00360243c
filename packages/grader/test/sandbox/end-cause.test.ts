import { describe, expect, it } from "vitest";
import { describeEnd, learnerText } from "../../src/harness/end-cause.js";
import { DEFAULT_LIMITS } from "../../src/shared.js";

describe("learnerText(error text)", () => {
  it("names the learner's file and line, wherever it was staged, and drops other frames", () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'slice')",
      "    at file:///tmp/cookie-grader-Ab12/apps/3/src/app.ts:12:5",
      "    at Layer.handle (/work/main/node_modules/.pnpm/express@5.3.0/node_modules/express/lib/router/layer.js:95:5)",
      "    at node:internal/process/task_queues:95:5",
    ].join("\n");
    expect(learnerText(stack)).toBe(
      "TypeError: Cannot read properties of undefined (reading 'slice') (at src/app.ts:12:5)",
    );
  });

  it("reads the production copy's paths as the same file, and drops a bare 'Error: '", () => {
    expect(
      learnerText("Error: COOKIE_SECRET is not set\n    at createApp (/tmp/x/apps/1/production/src/lib/env.ts:3:9)"),
    ).toBe("COOKIE_SECRET is not set (at src/lib/env.ts:3:9)");
  });
});

describe("describeEnd(cause)", () => {
  it.each([
    [{ kind: "exit-called", code: "1" } as const, "your code called process.exit(1)"],
    [{ kind: "unresponsive", stopped: false } as const, "Is there a loop that never ends?"],
    [{ kind: "unresponsive", stopped: true } as const, "was stopped (as by SIGSTOP)"],
    // Grown, but not enough to tell a leak from a loop's garbage: both are named.
    [
      { kind: "unresponsive", stopped: false, grew: { residentMb: 113, limitMb: 512 } } as const,
      "(113 MB of memory, of a 512 MB limit). Is there a loop that never ends? Or something that grows on every request?",
    ],
    [{ kind: "memory", limitMb: 512 } as const, "more than 512 MB of memory"],
    // Found past the limit by the request that went unanswered, not by the watchdog: told the same way.
    [{ kind: "memory", limitMb: 512, residentMb: 524 } as const, "more than 512 MB of memory (524 MB)"],
    [
      { kind: "memory", limitMb: 512, residentMb: 400 } as const,
      "stopped answering while its memory grew (400 MB of memory, of a 512 MB limit)",
    ],
    [{ kind: "exited", code: null, signal: "SIGKILL" } as const, "ended by SIGKILL"],
    [{ kind: "exited", code: 3, signal: null } as const, "exit code 3"],
  ])("names %j", (cause, words) => {
    expect(describeEnd(cause, DEFAULT_LIMITS)).toContain(words);
  });
});
