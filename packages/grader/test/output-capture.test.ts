import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GradeReport } from "../src/formats/grade-report.js";

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));

/**
 * An app that prints an emoji split across two writes (so across two pipe reads, when they are not joined), then
 * fills its output past the 2 kB kept (2047 UTF-16 units, 2049 bytes), then prints another emoji: 2 kB ends inside it.
 */
const APP = `import express from "express";

export function createApp() {
  const app = express();
  app.use((_req, _res, next) => {
    const cookie = Buffer.from("🍪");
    process.stdout.write(Buffer.concat([Buffer.from("x"), cookie.subarray(0, 2)]));
    process.stdout.write(cookie.subarray(2));
    process.stdout.write("a".repeat(2044) + "🍪");
    next();
  });
  app.get("/", (_req, res) => res.send("Welcome"));
  return app;
}
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-output-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("what an app prints, in the JSON report", () => {
  it("is its first 2 kB of UTF-8, cut between characters, never half an emoji", () => {
    const src = join(root, "submission", "exercises", "01-set-datetime-cookie", "src");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "app.ts"), APP);
    const json = join(root, "report.json");
    const run = spawnSync(process.execPath, [bin, "grade", "--submission", join(root, "submission"), "--json", json], {
      encoding: "utf8",
      timeout: 240_000,
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    expect(run.status, run.stderr).toBe(1);
    const text = readFileSync(json, "utf8");
    expect(text).not.toMatch(/\\u[dD][89abAB][0-9a-fA-F]{2}/);
    const report = JSON.parse(text) as GradeReport;
    const outputs = report.exercises
      .flatMap((exercise) => exercise.checks)
      .flatMap((check) => (check.output ? [check.output] : []));
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(output.isWellFormed()).toBe(true);
      expect(output).toMatch(/^x🍪a{2043}\n… \d+ more bytes not kept$/u);
      expect(Buffer.byteLength(output.split("\n")[0]!, "utf8")).toBeLessThanOrEqual(2048);
    }
  });
});
