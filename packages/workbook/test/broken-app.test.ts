import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkbook, type RunningWorkbook } from "../src/workbook.js";

// The course lives under this package's node_modules, so that each app finds tsx there as a real exercise finds it.
const cacheDir = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".cache");

/** What a request for a short answer timeout waits: long enough for tsx to start the app on a loaded machine. */
const ANSWER_TIMEOUT_MS = 2_000;

let root: string;
let workbook: RunningWorkbook;

/** An exercise whose app is broken in one way: its files as given. */
function addExercise(slug: string, files: Record<string, string>): void {
  const dir = join(root, "exercises", slug);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: `@cookie-course/exercise-${slug}`, private: true, type: "module" }),
  );
  writeFileSync(join(dir, "README.md"), `# ${slug.slice(0, 2)} · A broken app\n`);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
}

const LISTEN = `import http from "node:http";
const port = Number(process.env.PORT);
export function listen(handler: http.RequestListener): void {
  http.createServer(handler).listen(port, "127.0.0.1", () => console.log(\`Listening on http://localhost:\${port} (Ctrl+C stops it)\`));
}
`;

beforeAll(async () => {
  mkdirSync(cacheDir, { recursive: true });
  root = mkdtempSync(join(cacheDir, "workbook-broken-apps-"));
  addExercise("01-loops", {
    "src/listen.ts": LISTEN,
    "src/server.ts": `import { listen } from "./listen.js";
listen((req, res) => {
  if (req.url === "/profile") for (;;) {}
  res.end("home");
});
`,
  });
  addExercise("02-exits", {
    "src/server.ts": `console.log(\`Listening on http://localhost:\${process.env.PORT}\`);\nprocess.exit(0);\n`,
  });
  addExercise("03-syntax", {
    "src/server.ts": `import "./app.js";\n`,
    "src/app.ts": `export const a = 1;\nconst b = Math.max(1, 2;\n`,
  });
  workbook = await startWorkbook({ root, port: 0, grade: false, answerTimeoutMs: ANSWER_TIMEOUT_MS });
});

afterAll(async () => {
  await workbook?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A request as the app's frame makes it: to the app, through the recording proxy. */
function inFrame(path: string) {
  return request(workbook.url)
    .get(path)
    .set("Host", `localhost:${workbook.port}`)
    .set("Sec-Fetch-Dest", "iframe")
    .timeout(60_000);
}

function workbookPage(path: string) {
  return request(workbook.url).get(path).set("Host", `localhost:${workbook.port}`).timeout(60_000);
}

describe("a broken app in the workbook", () => {
  it("a handler that loops: the request is answered after the time limit, naming the likely cause, and the app is said not to answer", async () => {
    await workbookPage("/exercises/01-loops").expect(200);
    await inFrame("/").expect(200, "home");

    const stuck = await inFrame("/profile").expect(502);
    expect(stuck.text).toContain("<h1>The app is not answering</h1>");
    expect(stuck.text).toContain(
      "the app got GET /profile and sent no answer within 2 s. The likely cause: a loop that never ends",
    );

    const page = await workbookPage("/exercises/01-loops").expect(200);
    expect(page.text).toContain("<strong>not answering</strong>: the app got GET /profile");
    // The port the app prints is the workbook's own for it: said so, where the learner reads it.
    expect(page.text).toMatch(
      /Listening on http:\/\/localhost:\d+ \(Ctrl\+C stops it\) {2}\[the workbook&#39;s own port for the app: open the app through the workbook/,
    );
  });

  it("an app that ends itself (process.exit(0)): the page says how it ended and shows what it printed, not a terminal that shows nothing", async () => {
    await workbookPage("/exercises/02-exits").expect(200);

    const ended = await inFrame("/").expect(502);
    expect(ended.text).toContain("The app of 02-exits ended: it ended by itself without an error (exit code 0)");
    expect(ended.text).toContain("<h2>What the app printed last</h2>");
    expect(ended.text).toMatch(/Listening on http:\/\/localhost:\d+ {2}\[the workbook&#39;s own port/);
    expect(ended.text).not.toContain("terminal");
  });

  it("a syntax error: the line that says what is wrong comes first, with its file:line, and esbuild's frames are folded", async () => {
    await workbookPage("/exercises/03-syntax").expect(200);

    const crashed = await inFrame("/").expect(502);
    expect(crashed.text).toContain("The app of 03-syntax ended: it crashed (exit code 1)");
    const headline = crashed.text.indexOf(
      "<strong><code>syntax error at src/app.ts:2:23: Expected &quot;)&quot; but found &quot;;&quot;</code></strong>",
    );
    expect(headline).toBeGreaterThan(-1);
    expect(crashed.text.indexOf("<details><summary>Everything the app printed last</summary>")).toBeGreaterThan(
      headline,
    );

    const page = await workbookPage("/exercises/03-syntax").expect(200);
    expect(page.text).toContain("<strong><code>syntax error at src/app.ts:2:23:");
  });
});
