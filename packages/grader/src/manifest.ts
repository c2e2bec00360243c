import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import { CommandError } from "./errors.js";

/**
 * The hidden suite's integrity: a SHA-256 of every file that decides a verdict (the checks, the sandbox and the
 * harness they run in). Grading verifies it first, so a suite edited by accident or on purpose cannot grade
 * silently; `pnpm grader:manifest` records a change that was meant.
 */
export const MANIFEST_FILE = "suite.sha256";
const SUITE = ["src/checks/**/*.ts", "src/harness/**/*.ts", "src/sandbox/**/*.ts", "src/run.ts", "src/shared.ts"];

/** `sha256  path` lines, sorted by path, in the format `sha256sum -c` reads. */
export function computeManifest(graderRoot: string): string {
  const files = globSync(SUITE, { cwd: graderRoot }).sort();
  const lines = files.map((file) => {
    // Line endings are folded so a Windows checkout hashes the same.
    const text = readFileSync(join(graderRoot, file), "utf8").replace(/\r\n/g, "\n");
    return `${createHash("sha256").update(text).digest("hex")}  ${file}`;
  });
  return `${lines.join("\n")}\n`;
}

export function writeManifest(graderRoot: string): void {
  writeFileSync(join(graderRoot, MANIFEST_FILE), computeManifest(graderRoot));
}

/** The files whose hash differs from the manifest, or that it lacks or lists in vain. Empty when intact. */
export function manifestDifferences(graderRoot: string): string[] {
  let recorded: string;
  try {
    recorded = readFileSync(join(graderRoot, MANIFEST_FILE), "utf8").replace(/\r\n/g, "\n");
  } catch {
    return [MANIFEST_FILE];
  }
  const parse = (text: string) =>
    new Map(
      text
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(66), line.slice(0, 64)]),
    );
  const expected = parse(recorded);
  const actual = parse(computeManifest(graderRoot));
  const paths = new Set([...expected.keys(), ...actual.keys()]);
  return [...paths].filter((path) => expected.get(path) !== actual.get(path)).sort();
}

/** Thrown before grading when the suite does not match its manifest: grading refuses to run (exit 2). */
export class SuiteTamperedError extends CommandError {
  override name = "SuiteTamperedError";

  constructor(files: readonly string[]) {
    super(
      `The hidden suite differs from its manifest (${MANIFEST_FILE}) in: ${files.join(", ")}.\n` +
        "No grade was given. If the change was meant, record it with: pnpm grader:manifest",
    );
  }
}
