import { describe, expect, it } from "vitest";
import { judgeUnresponsive, mayTellMore, type UnresponsiveApp } from "../../src/sandbox/unresponsive.js";

/** An app that loops without growing, after plenty of CPU: the base each case changes. */
const looping: UnresponsiveApp = { stopped: false, residentMb: 90, grownMb: 2, cpuSinceAnswerMs: 4_000, limitMb: 512 };

describe("judgeUnresponsive(what /proc tells of an app that does not answer)", () => {
  it("names a stopped process for its stop, whatever its memory did", () => {
    expect(judgeUnresponsive({ ...looping, stopped: true, grownMb: 300 })).toEqual({
      kind: "unresponsive",
      stopped: true,
    });
  });

  it("takes an app whose memory grew no more than a loop's garbage to loop, after seconds of CPU", () => {
    // Seen here: a loop making Dates grew 36 MB in 4 s of CPU on Node 20 (young generation), and 5-11 MB on 24 and 26.
    expect(judgeUnresponsive({ ...looping, grownMb: 48 })).toEqual({ kind: "unresponsive", stopped: false });
  });

  it("takes growth past a loop's garbage, after a second of CPU, for a leak", () => {
    expect(judgeUnresponsive({ ...looping, grownMb: 70, cpuSinceAnswerMs: 1_000 })).toEqual({
      kind: "memory",
      limitMb: 512,
      residentMb: 90,
    });
  });

  it("names both causes for the same growth in an app starved of CPU, which may still be a loop's garbage", () => {
    expect(judgeUnresponsive({ ...looping, grownMb: 70, cpuSinceAnswerMs: 80 })).toEqual({
      kind: "unresponsive",
      stopped: false,
      grew: { residentMb: 90, limitMb: 512 },
    });
  });

  it("takes growth no loop makes, or a process near its limit, for a leak even when starved", () => {
    expect(judgeUnresponsive({ ...looping, grownMb: 160, cpuSinceAnswerMs: 80 }).kind).toBe("memory");
    expect(judgeUnresponsive({ ...looping, residentMb: 210, grownMb: 10, cpuSinceAnswerMs: 80 }).kind).toBe("memory");
  });
});

describe("mayTellMore(an app that does not answer)", () => {
  it("waits on an app starved of CPU whose verdict would be a loop, or either cause", () => {
    expect(mayTellMore({ ...looping, cpuSinceAnswerMs: 80 })).toBe(true);
    expect(mayTellMore({ ...looping, grownMb: 70, cpuSinceAnswerMs: 80 })).toBe(true);
  });

  it("stops waiting once the app had its second of CPU, its memory tells, or it is stopped", () => {
    expect(mayTellMore(looping)).toBe(false);
    expect(mayTellMore({ ...looping, grownMb: 200, cpuSinceAnswerMs: 80 })).toBe(false);
    expect(mayTellMore({ ...looping, stopped: true, cpuSinceAnswerMs: 0 })).toBe(false);
  });
});
