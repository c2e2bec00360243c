import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateStarter } from "../src/starters/generate.js";
import { checkStarters, writeStarters } from "../src/starters/sync.js";

const SOLUTION_APP = `import { a } from "./a.js";
export function createApp() {
  // #region solution: answer
  return a;
  // #endregion
}
`;

const STARTER_MD = "## answer\n\n```ts\n// 🐨 return a\nreturn undefined;\n```\n";

let root: string;

function write(path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "course-"));
  write(
    "solutions/01-demo/package.json",
    JSON.stringify({ name: "@cookie-course/solution-01-demo", scripts: { dev: "tsx", test: "vitest" } }),
  );
  write("solutions/01-demo/src/app.ts", SOLUTION_APP);
  write("solutions/01-demo/src/a.ts", "export const a = 1;\n");
  write("solutions/01-demo/test/app.test.ts", "test");
  write("solutions/01-demo/README.md", "solution notes");
  write("solutions/01-demo/starter.md", STARTER_MD);
  write("exercises/01-demo/README.md", "# Learner README");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("generateStarter(solutionDir, slug)", () => {
  it("turns regions into TODO stubs, renames the package, drops its test script, and leaves tests and notes behind", () => {
    const files = generateStarter(join(root, "solutions/01-demo"), "01-demo");
    expect([...files.keys()]).toEqual(["package.json", "src/a.ts", "src/app.ts"]);
    expect(files.get("src/app.ts")).toBe(
      'import { a } from "./a.js";\nexport function createApp() {\n  // 🐨 return a\n  return undefined;\n}\n',
    );
    expect(JSON.parse(files.get("package.json")!)).toEqual({
      name: "@cookie-course/exercise-01-demo",
      scripts: { dev: "tsx" },
    });
  });

  it("refuses a starter.md section that no region uses", () => {
    write("solutions/01-demo/starter.md", `${STARTER_MD}\n## extra\n\`\`\`\n\`\`\`\n`);
    expect(() => generateStarter(join(root, "solutions/01-demo"), "01-demo")).toThrow(
      'no region in the solution is named "extra"',
    );
  });
});

describe("checkStarters(root) and writeStarters(root)", () => {
  it("reports every file of a starter that was never generated", () => {
    expect(checkStarters(root)).toEqual([
      { slug: "01-demo", file: "package.json", kind: "missing" },
      { slug: "01-demo", file: "src/a.ts", kind: "missing" },
      { slug: "01-demo", file: "src/app.ts", kind: "missing" },
    ]);
  });

  it("writes the starters, after which the check passes and the learner's README is untouched", () => {
    writeStarters(root);
    expect(checkStarters(root)).toEqual([]);
    expect(readFileSync(join(root, "exercises/01-demo/README.md"), "utf8")).toBe("# Learner README");
  });

  it("catches a starter edited by hand, and a file added by hand", () => {
    writeStarters(root);
    write("exercises/01-demo/src/app.ts", "// edited by hand\n");
    write("exercises/01-demo/src/extra.ts", "export {};\n");
    expect(checkStarters(root)).toEqual([
      { slug: "01-demo", file: "src/app.ts", kind: "differs" },
      { slug: "01-demo", file: "src/extra.ts", kind: "unexpected" },
    ]);
  });

  it("catches a solution changed without regenerating its starter", () => {
    writeStarters(root);
    write("solutions/01-demo/src/a.ts", "export const a = 2;\n");
    expect(checkStarters(root)).toEqual([{ slug: "01-demo", file: "src/a.ts", kind: "differs" }]);
  });

  it("accepts a checkout with Windows line endings", () => {
    writeStarters(root);
    write("exercises/01-demo/src/a.ts", "export const a = 1;\r\n");
    expect(checkStarters(root)).toEqual([]);
  });

  it("removes files the solution no longer generates", () => {
    writeStarters(root);
    write("exercises/01-demo/src/old.ts", "export {};\n");
    expect(writeStarters(root)).toEqual(["exercises/01-demo/src/old.ts (removed)"]);
    expect(checkStarters(root)).toEqual([]);
  });

  it("requires a learner README in each exercise", () => {
    writeStarters(root);
    rmSync(join(root, "exercises/01-demo/README.md"));
    expect(checkStarters(root)).toEqual([{ slug: "01-demo", file: "README.md", kind: "no-readme" }]);
  });
});
