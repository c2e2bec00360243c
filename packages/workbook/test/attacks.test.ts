// A security review's attacks on the workbook, as tests: each one that landed was fixed and stays here as a fixture,
// beside those that guard a boundary that held.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http, { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceRoot } from "@cookie-course/grader/workspace";
import { CookieRecorder, recordingProxy, renderJarPanel } from "../src/proxy/index.js";
import { startWorkbook, type RunningWorkbook } from "../src/workbook.js";

const SLUG = "01-set-datetime-cookie";
const SECRETS = {
  progress: "PROGRESS-SECRET",
  git: "GIT-CONFIG-SECRET",
  env: "DOTENV-SECRET",
  installed: "NODE-MODULES-SECRET",
};

let root: string;
let workbook: RunningWorkbook;

beforeAll(async () => {
  // A course of its own: one starter (no app is run: no page of the app is visited), a lesson whose one link is
  // malformed, the learner's progress, a git folder, a .env, installed packages and a course file that is an SVG.
  root = mkdtempSync(join(tmpdir(), "workbook-attacks-"));
  cpSync(join(workspaceRoot, "exercises", SLUG), join(root, "exercises", SLUG), {
    recursive: true,
    filter: (path) => !path.includes("node_modules"),
  });
  mkdirSync(join(root, "lesson"));
  writeFileSync(join(root, "lesson", "README.md"), "# Lesson\n\nSee [the notes](notes%E0%A4%A.md).\n");
  mkdirSync(join(root, ".course"));
  writeFileSync(
    join(root, ".course", "progress.json"),
    JSON.stringify({ version: 1, exercises: {}, note: SECRETS.progress }),
  );
  mkdirSync(join(root, ".git"));
  writeFileSync(
    join(root, ".git", "config"),
    `[remote "origin"]\n\turl = https://user:${SECRETS.git}@example.com/repo.git\n`,
  );
  writeFileSync(join(root, "exercises", SLUG, ".env"), `COOKIE_SECRET=${SECRETS.env}\n`);
  mkdirSync(join(root, "node_modules", "some-package"), { recursive: true });
  writeFileSync(join(root, "node_modules", "some-package", "README.md"), SECRETS.installed);
  writeFileSync(
    join(root, "exercises", SLUG, "diagram.svg"),
    '<svg xmlns="http://www.w3.org/2000/svg"><script>parent.document.title = "owned"</script></svg>',
  );
  workbook = await startWorkbook({ root, port: 0, grade: false });
});

afterAll(async () => {
  await workbook?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** A request with its path sent as written (no `..` or `%2F` touched on the way), to the workbook as `localhost`. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port: workbook.port,
        method,
        path,
        headers: { host: `localhost:${workbook.port}`, ...headers },
      },
      (incoming) => {
        let text = "";
        incoming.setEncoding("utf8");
        incoming.on("data", (chunk: string) => (text += chunk));
        incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("/files/: the course's files, and nothing else", () => {
  it.each([
    ["the learner's progress", `/files/lesson%2F..%2F.course%2Fprogress.json`, SECRETS.progress],
    ["the course's git config", `/files/lesson%2F..%2F.git%2Fconfig`, SECRETS.git],
    ["an exercise's .env", `/files/exercises%2F${SLUG}%2F.env`, SECRETS.env],
    ["installed packages", `/files/lesson%2F..%2Fnode_modules%2Fsome-package%2FREADME.md`, SECRETS.installed],
    ["a hidden folder's listing", `/files/lesson%2F..%2F.git/`, "config"],
  ])("%s cannot be read through a segment holding an encoded slash", async (_what, path, secret) => {
    // Express decodes each segment of `*path` after splitting on "/": "lesson%2F..%2F.course" is ONE segment,
    // "lesson/../.course", which is neither "..", nor hidden, nor starts with "."; join() then resolves it inside
    // the course, so the realpath check passes too.
    const answer = await send("GET", path);
    expect(answer.text).not.toContain(secret);
    expect(answer.status).toBe(404);
  });

  it("never serves a file outside the course, even through encoded slashes (the realpath check holds)", async () => {
    const answer = await send("GET", "/files/lesson%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd");
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain("root:");
  });

  it("an SVG of the course is not served as a document that runs its script on the workbook's origin", async () => {
    // A README may link to a picture; opened, an SVG with <script> runs on http://localhost:PORT with the
    // workbook's full powers (its pages, /files/, the hint and solution forms). A sandbox CSP keeps it a picture.
    const answer = await send("GET", `/files/exercises/${SLUG}/diagram.svg`);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-security-policy"] ?? "", "a CSP that forbids its script").toMatch(
      /sandbox|script-src 'none'|default-src 'none'/,
    );
  });
});

describe("requests from another site", () => {
  it.each([
    ["POST", "/-/jar/clear", ""],
    ["POST", `/exercises/${SLUG}/hints`, "check=01.sets-cookie"],
  ])(
    "a form posted with Origin: null (a sandboxed frame, a data: page) is refused: %s %s",
    async (method, path, body) => {
      // `<iframe sandbox="allow-forms allow-scripts" srcdoc="<form method=post action=http://localhost:4000/…>">` on
      // any site sends `Origin: null`, and the guard lets "null" through.
      const answer = await send(
        method,
        path,
        { origin: "null", "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
        body,
      );
      expect(answer.status).toBe(403);
    },
  );

  it("a form posted from another site's origin is refused", async () => {
    const answer = await send("POST", "/-/jar/clear", { origin: "http://evil.example" });
    expect(answer.status).toBe(403);
  });

  it("a DNS-rebinding name for 127.0.0.1 gets a 403, on the workbook's pages and on the app's paths alike", async () => {
    for (const path of ["/", "/-/events", "/some/app/path", `/files/exercises/${SLUG}/`]) {
      const answer = await send("GET", path, { host: `rebind.evil.example:${workbook.port}` });
      expect(answer.status, path).toBe(403);
    }
  });

  it("the event stream gives another site no CORS permission to read it", async () => {
    const stream = new AbortController();
    const response = await fetch(`${workbook.url}/-/events`, {
      headers: { origin: "http://evil.example" },
      signal: stream.signal,
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    stream.abort();
  });

  it("a workbook page another site loads in an <iframe> is the app's answer, never the workbook's own page", async () => {
    const answer = await send("GET", `/exercises/${SLUG}`, {
      "sec-fetch-dest": "iframe",
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
    });
    expect(answer.text).not.toContain('id="hints"');
  });

  it.each(["embed", "object", "frame"])(
    "a workbook page loaded by another site's <%s> (clickjacking) is refused by the browser",
    async (dest) => {
      // Only Sec-Fetch-Dest: iframe is sent to the app; an <embed>, <object> or <frame> gets the workbook's own page
      // (its hint and solution buttons), and nothing tells the browser not to show it inside another site.
      const answer = await send("GET", `/exercises/${SLUG}`, {
        "sec-fetch-dest": dest,
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
      });
      const framingForbidden =
        /^(deny|sameorigin)$/i.test(String(answer.headers["x-frame-options"] ?? "")) ||
        /frame-ancestors/.test(String(answer.headers["content-security-policy"] ?? ""));
      expect(
        answer.text.includes('id="hints"') ? framingForbidden : true,
        "the workbook's page, framable by any site",
      ).toBe(true);
    },
  );
});

describe("/-/go: the frame's address bar", () => {
  it.each(["/\\evil.example/", "/\\/evil.example/"])(
    "%s does not send the browser to another site (a browser reads \\ as / in an http URL)",
    async (path) => {
      const answer = await send("GET", `/-/go?path=${encodeURIComponent(path)}`);
      expect(answer.status).toBe(303);
      // Where a browser goes: the WHATWG URL parser, as Chromium and Node both implement it.
      const landing = new URL(answer.headers.location ?? "/", workbook.url);
      expect(landing.origin).toBe(new URL(workbook.url).origin);
    },
  );

  it("keeps a protocol-relative or absolute address on the workbook's origin", async () => {
    for (const path of ["//evil.example/", "http://evil.example/", "javascript:alert(1)"]) {
      const answer = await send("GET", `/-/go?path=${encodeURIComponent(path)}`);
      expect(new URL(answer.headers.location ?? "/", workbook.url).origin, path).toBe(new URL(workbook.url).origin);
    }
  });
});

describe("hostile course content", () => {
  it("a malformed percent-escape in a README's link does not take its page down with a raw stack trace", async () => {
    // workbookHref calls decodeURIComponent on the link: "notes%E0%A4%A.md" throws URIError, and Express's default
    // handler answers 500 with the stack (paths of the machine included).
    const answer = await send("GET", "/lesson");
    expect(answer.text).not.toMatch(/URIError|at decodeURIComponent|node_modules/);
    expect(answer.status).toBe(200);
  });

  it("a malformed percent-escape in a /files/ address gets the workbook's 404, not a stack trace", async () => {
    const answer = await send("GET", "/files/%E0%A4%A");
    expect(answer.text).not.toMatch(/URIError|decodeParam|node_modules/);
  });
});

describe("resource exhaustion from the app", () => {
  it(
    "an app that sets hundreds of cookies per response cannot make each request re-render and push megabytes of panel",
    { timeout: 120_000 },
    async () => {
      // ~16 kB of headers (Node's limit) holds ~900 short Set-Cookie lines; each becomes a verdict and a table of its
      // own. With the last 50 exchanges kept, the panel re-rendered on every request (and pushed whole to every open
      // page over /-/events) grows to ~35 MB, ~250 ms of the workbook's CPU per request of the app.
      const upstream = http.createServer((_req, res) => {
        res.setHeader(
          "Set-Cookie",
          Array.from({ length: 900 }, (_value, index) => `c${index}=1`),
        );
        res.end("ok");
      });
      await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
      const recorder = new CookieRecorder();
      const proxy = recordingProxy({
        target: () => new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`),
        recorder,
      });
      const front = http.createServer((req, res) => proxy(req, res));
      await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
      try {
        for (let index = 0; index < 50; index++) {
          const response = await fetch(`http://127.0.0.1:${(front.address() as AddressInfo).port}/page-${index}`);
          await response.text();
        }
        // Past Chromium's 180 cookies per site, the lines are counted, not judged one by one.
        expect(recorder.exchanges()[0]!.setCookies).toHaveLength(180);
        expect(recorder.exchanges()[0]!.notes.join(" ")).toContain("720 more Set-Cookie lines were not examined");
        const panelBytes = Buffer.byteLength(renderJarPanel(recorder).toString());
        expect(panelBytes, "the jar panel's size after 50 requests").toBeLessThan(2_000_000);
      } finally {
        front.close();
        upstream.close();
      }
    },
  );
});

describe("the workbook stays off the network", () => {
  it("its pages load nothing from another origin (no CDN, no fonts)", async () => {
    const page = await send("GET", `/exercises/${SLUG}`);
    const css = await send("GET", "/-/static/workbook.css");
    const jarCss = await send("GET", "/-/static/jar.css");
    const script = await send("GET", "/-/static/workbook.js");
    for (const text of [page.text, css.text, jarCss.text, script.text]) {
      expect(text).not.toMatch(
        /<(?:script|img|link|iframe|source|video|audio)\b[^>]*\b(?:src|href)="(?:https?:)?\/\/|@import|url\(\s*["']?(?:https?:)?\/\//,
      );
    }
    expect(script.text).not.toMatch(/fetch\(\s*["'`]https?:|new WebSocket|sendBeacon/);
  });
});
