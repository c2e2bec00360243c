import { sign, unsign } from "cookie-signature";
import { describe, expect, it } from "vitest";
import { otherSpellings, tamperedSignatures, writtenForms } from "../src/checks/forged-signatures.js";

describe("tamperedSignatures", () => {
  it("changes every signature's bytes, not only its text, so a check that compares bytes rejects them too", () => {
    for (let round = 0; round < 200; round++) {
      const signed = sign(`2031-05-16T08:09:${String(round % 60).padStart(2, "0")}.000Z`, `secret ${round}`);
      const signature = Buffer.from(signed.slice(signed.lastIndexOf(".") + 1), "base64");
      for (const [tampered] of tamperedSignatures(signed)) {
        expect(unsign(tampered, `secret ${round}`)).toBe(false);
        expect(Buffer.from(tampered.slice(tampered.lastIndexOf(".") + 1), "base64").equals(signature)).toBe(false);
      }
    }
  });
});

describe("writtenForms", () => {
  it("writes the same moment in each form", () => {
    const moment = new Date("2031-05-16T08:09:10.000Z");
    for (const [text] of writtenForms(moment)) {
      expect(new Date(/^\d+$/.test(text) ? Number(text) : text).getTime()).toBe(moment.getTime());
    }
  });
});

describe("otherSpellings", () => {
  it("spells a cookie's name every common way but its own", () => {
    expect(otherSpellings("last_visit")).toEqual([
      "lastVisit",
      "LastVisit",
      "last-visit",
      "lastvisit",
      "LAST_VISIT",
      "last.visit",
      "visit",
    ]);
    expect(otherSpellings("lastVisit")).toContain("last_visit");
  });
});
