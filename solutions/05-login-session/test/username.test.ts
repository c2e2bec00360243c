import { describe, expect, it } from "vitest";
import { MAX_USERNAME_LENGTH, readUsername } from "../src/username.js";

describe("readUsername(form)", () => {
  it("gives the trimmed username", () => {
    expect(readUsername({ username: "  ada " })).toEqual({ ok: true, username: "ada" });
  });

  it("takes up to MAX_USERNAME_LENGTH characters, an emoji counting as one", () => {
    expect(readUsername({ username: "é".repeat(MAX_USERNAME_LENGTH) }).ok).toBe(true);
    expect(readUsername({ username: "🍪".repeat(MAX_USERNAME_LENGTH) }).ok).toBe(true);
    expect(readUsername({ username: "a".repeat(MAX_USERNAME_LENGTH + 1) })).toEqual({
      ok: false,
      problem: "That username is too long: 65 characters, where at most 64 are allowed.",
    });
  });

  it.each([
    ["no form at all", undefined],
    ["a form without the field", {}],
    ["a repeated field", { username: ["ada", "bob"] }],
    ["a number", { username: 7 }],
  ])("says the username is missing for %s", (_case, form) => {
    expect(readUsername(form)).toEqual({ ok: false, problem: "Enter a username to log in: the form sent none." });
  });

  it("says an empty or blank username is empty", () => {
    expect(readUsername({ username: "" })).toEqual({
      ok: false,
      problem: "The username is empty: enter one to log in.",
    });
    expect(readUsername({ username: " \t " })).toEqual({
      ok: false,
      problem: "The username is empty: enter one to log in.",
    });
  });
});
