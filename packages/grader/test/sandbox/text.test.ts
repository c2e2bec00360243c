import { describe, expect, it } from "vitest";
import { CappedText, codePointLength, cutCodePoints, cutUtf16, cutUtf8, wellFormed } from "../../src/sandbox/text.js";

const COOKIE = "🍪"; // U+1F36A: 4 bytes of UTF-8, 2 UTF-16 units
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

describe("cutUtf8(text, maxBytes)", () => {
  it("keeps text that fits whole", () => {
    expect(cutUtf8("héllo", 6)).toBe("héllo");
    expect(cutUtf8(COOKIE.repeat(3), 12)).toBe(COOKIE.repeat(3));
  });

  it.each([1, 2, 3])("never keeps part of an emoji when the limit falls %i byte(s) into it", (into) => {
    const text = `${"a".repeat(10)}${COOKIE}b`;
    const cut = cutUtf8(text, 10 + into);
    expect(cut).toBe("a".repeat(10));
    expect(cut.isWellFormed()).toBe(true);
  });

  it("counts two- and three-byte characters as UTF-8 does", () => {
    expect(cutUtf8("ééé", 5)).toBe("éé");
    expect(cutUtf8("€€€", 8)).toBe("€€");
    expect(bytes(cutUtf8("€".repeat(1000), 2048))).toBe(2046);
  });

  it("counts a lone surrogate as the 3 bytes of the U+FFFD it is written as", () => {
    expect(cutUtf8("\uD83Cabc", 4)).toBe("\uD83Ca");
  });
});

describe("cutUtf16(text, maxUnits)", () => {
  it("steps back rather than end on the first half of a pair", () => {
    expect(cutUtf16(`ab${COOKIE}`, 3)).toBe("ab");
    expect(cutUtf16(`ab${COOKIE}`, 4)).toBe(`ab${COOKIE}`);
    expect(cutUtf16("abcdef", 4)).toBe("abcd");
  });
});

describe("cutCodePoints(text, max) and codePointLength(text)", () => {
  it("counts an emoji as one character", () => {
    expect(cutCodePoints(`${COOKIE}${COOKIE}x`, 2)).toBe(`${COOKIE}${COOKIE}`);
    expect(codePointLength(`${COOKIE}${COOKIE}x`)).toBe(3);
    expect(cutCodePoints("abc", 5)).toBe("abc");
  });
});

describe("wellFormed(text)", () => {
  it("replaces each lone surrogate with U+FFFD and keeps pairs", () => {
    expect(wellFormed(`a\uD83C${COOKIE}\uDC00b`)).toBe(`a\uFFFD${COOKIE}\uFFFDb`);
  });
});

describe("CappedText(maxBytes)", () => {
  it("keeps the first bytes of what was pushed, cut between characters, and counts the rest", () => {
    const output = new CappedText(2048);
    output.push("a".repeat(2046));
    output.push(COOKIE.repeat(3));
    const text = output.take();
    expect(text).toBe(`${"a".repeat(2046)}\n… 12 more bytes not kept`);
    expect(text?.isWellFormed()).toBe(true);
  });

  it("keeps nothing after a character that did not fit, even a shorter one", () => {
    const output = new CappedText(10);
    output.push(`${"a".repeat(8)}${COOKIE}`);
    output.push("bc");
    expect(output.take()).toBe(`${"a".repeat(8)}\n… 6 more bytes not kept`);
  });

  it("starts afresh after each take, and has nothing to give when nothing was printed", () => {
    const output = new CappedText(4);
    expect(output.take()).toBeUndefined();
    output.push("abcdef");
    output.take();
    output.push("xy");
    expect(output.take()).toBe("xy");
  });

  it("keeps at most its limit of UTF-8 whatever the chunks", () => {
    const output = new CappedText(2048);
    for (let index = 0; index < 1000; index++) output.push(index % 2 === 0 ? `é${COOKIE}` : "x€");
    const kept = output.take()?.split("\n…")[0] ?? "";
    expect(bytes(kept)).toBeLessThanOrEqual(2048);
    expect(bytes(kept)).toBeGreaterThan(2040);
    expect(kept.isWellFormed()).toBe(true);
  });
});
