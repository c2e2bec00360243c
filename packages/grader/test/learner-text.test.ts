import { cpuUsage } from "node:process";
import { describe, expect, it } from "vitest";
import { learnerText } from "../src/harness/end-cause.js";
import { excerpt } from "../src/harness/exchange.js";
import { readHostMessage } from "../src/sandbox/protocol.js";

describe("learnerText(error text)", () => {
  it("makes every staged path the learner's, with or without file://, on Windows too", () => {
    const text = [
      "Error: cannot read file:///tmp/cookie-grader-Ab12/apps/3/src/data.json or C:\\Users\\ci\\Temp\\g\\apps\\1\\production\\src\\lib\\env.ts",
      "    at createApp (file:///tmp/cookie-grader-Ab12/apps/3/src/app.ts:12:5)",
    ].join("\n");
    expect(learnerText(text)).toBe("cannot read src/data.json or src/lib/env.ts (at src/app.ts:12:5)");
  });

  it("names the first frame of the learner's code, not one in a package they import", () => {
    const text = [
      "TypeError: x is not a function",
      "    at handle (/work/node_modules/.pnpm/express@5.3.0/node_modules/express/src/router.js:9:1)",
      "    at /tmp/g/apps/2/src/routes/visit.ts:4:7",
    ].join("\n");
    expect(learnerText(text)).toBe("TypeError: x is not a function (at src/routes/visit.ts:4:7)");
  });

  it("keeps the first four lines of the message, without colours", () => {
    expect(learnerText("Error: \u001b[31mone\u001b[39m\ntwo\nthree\nfour\nfive")).toBe("one\ntwo\nthree\nfour");
  });

  // The path pattern this replaces took 3 to 5 s of CPU on each of these (it backtracked at every character), long
  // enough to cross an app's time limit and change its verdict. Linear work takes milliseconds: the bound is a
  // hundred times that, in CPU time (a loaded machine slows the clock, not the work), and far below the old cost.
  it("costs milliseconds, not seconds, on 100 kB errors built to make a pattern backtrack", () => {
    const hostile = [
      "a".repeat(100_000),
      "/".repeat(100_000),
      "ab/".repeat(33_000),
      "file://".repeat(15_000),
      "file://src/".repeat(9_000),
      "/src/:".repeat(17_000),
      `Error: x\n    at ${"src/".repeat(25_000)}`,
      `Error: x\n    at src/a${":1".repeat(50_000)}`,
      `${" ".repeat(100_000)}at`,
      `\n    at ${"src/a".repeat(10)}`.repeat(2_000),
    ];
    const before = cpuUsage();
    for (const text of hostile) learnerText(text);
    const { user, system } = cpuUsage(before);
    expect((user + system) / 1000).toBeLessThan(2_000);
  });
});

describe("excerpt(body, length)", () => {
  it("cuts between characters, so an emoji at the limit is kept whole or not at all", () => {
    const cut = excerpt(`${"a".repeat(159)}🍪🍪`, 160);
    expect(cut).toBe(`${"a".repeat(159)}🍪…`);
    expect(cut.isWellFormed()).toBe(true);
  });
});

describe("readHostMessage(message)", () => {
  it("keeps an app's text well-formed however it was cut or escaped", () => {
    const message = readHostMessage(JSON.parse(`{"op":"uncaught","message":"\\ud83c ${"🍪".repeat(5_000)}"}`));
    expect(message).toMatchObject({ op: "uncaught" });
    const text = (message as { message: string }).message;
    expect(text.isWellFormed()).toBe(true);
    expect(text.startsWith("\uFFFD 🍪")).toBe(true);
    expect(Array.from(text)).toHaveLength(4_096);
  });
});
