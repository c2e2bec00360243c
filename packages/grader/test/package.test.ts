import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const graderRoot = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(graderRoot, "package.json"), "utf8")) as Record<
  string,
  Record<string, string> | undefined
>;
/** The workspace packages the grader may use: the libraries it grades with. course-tools depends on the grader, not the reverse. */
const ALLOWED = ["@cookie-course/cookie-testing", "@cookie-course/cookie-utils"];

describe("the grader package", () => {
  it("depends on no workspace package but cookie-utils and cookie-testing", () => {
    const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
    expect(declared.filter((name) => name.startsWith("@cookie-course/") && !ALLOWED.includes(name))).toEqual([]);
  });

  it("imports no other workspace package from its code", () => {
    const src = join(graderRoot, "src");
    const files = readdirSync(src, { recursive: true, withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.name.endsWith(".ts"),
    );
    const imports = files.flatMap((entry) => {
      const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
      return [...text.matchAll(/(?:from\s+|import\(\s*)"(@cookie-course\/[^/"]+)/g)].map(
        (match) => `${entry.name}: ${match[1]}`,
      );
    });
    expect(imports.filter((line) => !ALLOWED.some((name) => line.endsWith(name)))).toEqual([]);
  });
});
