import { describe, expect, it } from "vitest";
import { readAppOutput, renderAppOutput } from "../src/app-output.js";

/** What tsx printed for a syntax error in src/app.ts (esbuild's transform failure), as captured from a real run. */
const SYNTAX_ERROR = `node:internal/modules/run_main:123
    triggerUncaughtException(
    ^

Error: Transform failed with 1 error:
/home/learner/cookie-course/exercises/04-sign-visit-cookie/src/app.ts:2:18: ERROR: Expected ")" but found ";"
    at failureErrorWithLog (/home/learner/cookie-course/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:1752:15)
    at /home/learner/cookie-course/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:1019:50
    at responseCallbacks.<computed> (/home/learner/cookie-course/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:886:9)
    at handleIncomingPacket (/home/learner/cookie-course/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:941:12)
    at Socket.readFromStdout (/home/learner/cookie-course/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:864:7)
    at Socket.emit (node:events:524:28)
    at addChunk (node:internal/streams/readable:561:12)
    at readableAddChunkPushByteMode (node:internal/streams/readable:512:3)
    at Readable.push (node:internal/streams/readable:392:5)
    at Pipe.onStreamRead (node:internal/stream_base_commons:191:23) {
  name: 'TransformError'
}

Node.js v20.20.2`;

const THROWN = `Listening on http://localhost:3000
/home/learner/cookie-course/exercises/02-read-last-visit/src/app.ts:14
    const when = req.cookies.last_visit.toUpperCase();
                                        ^

TypeError: Cannot read properties of undefined (reading 'toUpperCase')
    at /home/learner/cookie-course/node_modules/.pnpm/express@5.1.0/node_modules/express/lib/router/layer.js:152:17
    at file:///home/learner/cookie-course/exercises/02-read-last-visit/src/app.ts:14:41
    at Layer.handleRequest (/home/learner/cookie-course/node_modules/.pnpm/router@2.2.0/node_modules/router/lib/layer.js:152:17)

Node.js v20.20.2`;

describe("readAppOutput(output)", () => {
  it("puts a syntax error's message first, with the app's file:line as the grader says it, whatever esbuild's frames", () => {
    expect(readAppOutput(SYNTAX_ERROR).headline).toBe('syntax error at src/app.ts:2:18: Expected ")" but found ";"');
  });

  it("puts a thrown error first, with the first line of the app's own code it went through", () => {
    expect(readAppOutput(THROWN).headline).toBe(
      "TypeError: Cannot read properties of undefined (reading 'toUpperCase') (at src/app.ts:14:41)",
    );
  });

  it("finds no headline in output that holds no error, and strips colour codes", () => {
    expect(readAppOutput("\u001b[32mListening on http://localhost:3000\u001b[39m\n")).toStrictEqual({
      headline: undefined,
      all: "Listening on http://localhost:3000",
    });
  });
});

describe("renderAppOutput(output)", () => {
  it("shows the headline first and folds everything printed, escaped", () => {
    const page = renderAppOutput(SYNTAX_ERROR.replace("Transform failed", "<script>alert(1)</script>")).toString();
    expect(
      page.indexOf("syntax error at src/app.ts:2:18: Expected &quot;)&quot; but found &quot;;&quot;"),
    ).toBeLessThan(page.indexOf("<details>"));
    expect(page).toContain("<details><summary>Everything the app printed last</summary><pre>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>");
  });

  it("shows the last lines as they are when no line says what went wrong, and says when nothing was printed", () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join("\n");
    const page = renderAppOutput(lines).toString();
    expect(page).toContain("<pre>line 9\nline 10");
    expect(page).not.toContain("line 8\n");
    expect(renderAppOutput("  \n").toString()).toBe("<p>It printed nothing.</p>");
  });
});
