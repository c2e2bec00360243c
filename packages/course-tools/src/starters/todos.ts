import { StarterError } from "../errors.js";

const SECTION = /^## +(?<name>\S+)\s*$/;
const FENCE = /^```/;

/**
 * Reads a solution's starter.md: each `## region-name` heading is followed by one fenced code block, the code a
 * learner finds in place of that region. Everything else in the file is notes for instructors.
 */
export function parseStarterTodos(markdown: string, file: string): Map<string, string> {
  const stubs = new Map<string, string>();
  let section: { name: string; line: number } | undefined;
  let code: string[] | undefined;

  markdown.split("\n").forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, "");
    if (code && section) {
      if (FENCE.test(line)) {
        stubs.set(section.name, code.join("\n"));
        code = undefined;
        section = undefined;
      } else {
        code.push(line);
      }
      return;
    }
    const heading = SECTION.exec(line);
    if (heading?.groups) {
      if (section) throw new StarterError(`${file}:${section.line}: section "${section.name}" has no code block.`);
      const name = heading.groups.name!;
      if (stubs.has(name)) throw new StarterError(`${file}:${index + 1}: section "${name}" appears twice.`);
      section = { name, line: index + 1 };
      return;
    }
    if (section && FENCE.test(line)) code = [];
  });

  if (code && section) throw new StarterError(`${file}:${section.line}: the code block of "${section.name}" is never closed.`);
  if (section) throw new StarterError(`${file}:${section.line}: section "${section.name}" has no code block.`);
  return stubs;
}
