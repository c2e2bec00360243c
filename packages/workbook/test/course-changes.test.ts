import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkbook, type RunningWorkbook } from "../src/workbook.js";

let root: string;
let workbook: RunningWorkbook;

/** An exercise folder as the course holds one: what the workbook reads of it is its package.json and README. */
function addExercise(slug: string, title: string): void {
  const dir = join(root, "exercises", slug);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `@cookie-course/exercise-${slug}`, private: true }));
  writeFileSync(join(dir, "README.md"), `# ${slug.slice(0, 2)} · ${title}\n`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "workbook-course-"));
  addExercise("01-first-step", "The first step");
  workbook = await startWorkbook({ root, port: 0, grade: false });
});

afterAll(async () => {
  await workbook.close();
  rmSync(root, { recursive: true, force: true });
});

describe("an exercise released while the workbook runs", () => {
  it("gets a page that names it and says to restart pnpm start, not 'no such page'", async () => {
    addExercise("02-released-later", "Released <later>");
    const response = await request(workbook.url)
      .get("/exercises/02-released-later")
      .set("Host", `localhost:${workbook.port}`)
      .expect(404);
    expect(response.text).toContain("<h1>02 · Released &lt;later&gt;</h1>");
    expect(response.text).toContain("was added after the workbook started");
    expect(response.text).toContain("<code>pnpm start</code> again");
    expect(response.text).not.toContain("No such page");
  });

  it("leaves an exercise that exists nowhere a plain 'not found'", async () => {
    const response = await request(workbook.url)
      .get("/exercises/07-nowhere")
      .set("Host", `localhost:${workbook.port}`)
      .expect(404);
    expect(response.text).toContain("No such page in the workbook");
  });
});
