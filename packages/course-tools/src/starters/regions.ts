import { StarterError } from "../errors.js";

// A solution region is whole lines between these two markers, nbgrader-style. The name ties it to a section of
// the solution's starter.md, whose code replaces it in the generated starter.
const REGION_START = /^(?<indent>[ \t]*)\/\/ #region solution: (?<name>[a-z0-9]+(?:-[a-z0-9]+)*)[ \t]*$/;
const REGION_END = /^[ \t]*\/\/ #endregion[ \t]*$/;
const ANY_SOLUTION_MARKER = /#region solution\b/;

interface OpenRegion {
  readonly name: string;
  readonly indent: string;
  readonly line: number;
}

/**
 * Replaces each solution region of `source` with its stub, indented like the region's start marker.
 *
 * @param file the file's path, for error messages
 * @param stubs the code for each region name (from starter.md)
 * @returns the starter's text and the names of the regions it replaced
 */
export function replaceRegions(
  source: string,
  file: string,
  stubs: ReadonlyMap<string, string>,
): { text: string; replaced: string[] } {
  const output: string[] = [];
  const replaced: string[] = [];
  let open: OpenRegion | undefined;

  source.split("\n").forEach((line, index) => {
    const lineNumber = index + 1;
    const start = REGION_START.exec(line);
    if (start?.groups) {
      if (open) throw new StarterError(`${file}:${lineNumber}: region "${start.groups.name}" starts inside region "${open.name}" (line ${open.line}); close that one first.`);
      const name = start.groups.name!;
      if (replaced.includes(name)) throw new StarterError(`${file}:${lineNumber}: region "${name}" appears twice.`);
      open = { name, indent: start.groups.indent!, line: lineNumber };
      return;
    }
    if (ANY_SOLUTION_MARKER.test(line)) {
      throw new StarterError(`${file}:${lineNumber}: malformed marker; write it as "// #region solution: a-kebab-name" on a line of its own.`);
    }
    if (open && REGION_END.test(line)) {
      output.push(...indentStub(stubFor(open, file, stubs), open.indent));
      replaced.push(open.name);
      open = undefined;
      return;
    }
    if (!open) output.push(line);
  });

  if (open) throw new StarterError(`${file}:${open.line}: region "${open.name}" has no "// #endregion".`);
  return { text: output.join("\n"), replaced };
}

function stubFor(region: OpenRegion, file: string, stubs: ReadonlyMap<string, string>): string {
  const stub = stubs.get(region.name);
  if (stub === undefined) {
    throw new StarterError(`${file}:${region.line}: region "${region.name}" has no section "## ${region.name}" in starter.md.`);
  }
  return stub;
}

function indentStub(stub: string, indent: string): string[] {
  if (stub === "") return [];
  return stub.split("\n").map((line) => (line === "" ? "" : indent + line));
}

/**
 * The solution's code as a learner should read it (`pnpm solution`): the region markers are the generator's, not
 * part of the answer, so their lines go.
 */
export function withoutRegionMarkers(source: string): string {
  return source
    .split("\n")
    .filter((line) => !REGION_START.test(line) && !REGION_END.test(line))
    .join("\n");
}
