import { describe, expect, it } from "vitest";
import { parseStarterTodos } from "../src/starters/todos.js";

describe("parseStarterTodos(markdown, file)", () => {
  it("reads the code block under each ## heading, and ignores the prose around it", () => {
    const markdown = [
      "# Starter",
      "Notes for instructors.",
      "## set-cookie",
      "Some words.",
      "```ts",
      "// 🐨 one",
      "",
      "// 💰 two",
      "```",
      "## empty",
      "```ts",
      "```",
    ].join("\r\n");
    expect(parseStarterTodos(markdown, "starter.md")).toEqual(
      new Map([
        ["set-cookie", "// 🐨 one\n\n// 💰 two"],
        ["empty", ""],
      ]),
    );
  });

  it.each([
    ["a section without code", "## a\ntext\n## b\n```\n```", 'starter.md:1: section "a" has no code block'],
    ["a last section without code", "## a\ntext", 'starter.md:1: section "a" has no code block'],
    ["an unclosed code block", "## a\n```ts\ncode", 'starter.md:1: the code block of "a" is never closed'],
    ["a section named twice", "## a\n```\n```\n## a\n```\n```", 'starter.md:4: section "a" appears twice'],
  ])("refuses %s", (_label, markdown, message) => {
    expect(() => parseStarterTodos(markdown, "starter.md")).toThrow(message);
  });
});
