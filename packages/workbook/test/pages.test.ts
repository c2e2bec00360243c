import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listApps, workspaceRoot } from "@cookie-course/grader/workspace";
import { startWorkbook, type RunningWorkbook } from "../src/workbook.js";

let workbook: RunningWorkbook;

beforeAll(async () => {
  // The pages alone: no grading, and no app is visited.
  workbook = await startWorkbook({ root: workspaceRoot, port: 0, grade: false });
});

afterAll(async () => {
  await workbook.close();
});

/** A GET with the path sent as written (no `..` resolved on the way) and the Host header given. */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: workbook.port, path, headers: { host: `localhost:${workbook.port}`, ...headers } },
      (incoming) => {
        let text = "";
        incoming.setEncoding("utf8");
        incoming.on("data", (chunk: string) => (text += chunk));
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode ?? 0, text, location: incoming.headers.location }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** The links of a page that lead to the workbook's own pages (not the app's, which open in its frame). */
function localLinks(page: string): string[] {
  return [...page.matchAll(/<a [^>]*href="(\/[^"#]*)"[^>]*>/g)]
    .filter((match) => !match[0].includes('target="app"'))
    .map((match) => match[1]!.replace(/&amp;/g, "&"));
}

describe("the workbook's pages", () => {
  const exercises = listApps("exercise");

  it("serve the start page, the lesson and every exercise, each with the course's nav", async () => {
    for (const path of ["/", "/lesson", ...exercises.map((app) => `/exercises/${app.slug}`)]) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain('<nav id="course-nav" aria-label="Course">');
      for (const app of exercises) expect(page.text, path).toContain(`href="/exercises/${app.slug}"`);
    }
  });

  it("render each exercise's README, and every link in it and in the lesson leads to a page that exists", async () => {
    const pages = ["/lesson", ...exercises.map((app) => `/exercises/${app.slug}`)];
    const checked = new Set<string>();
    for (const path of pages) {
      const page = await get(path);
      for (const link of localLinks(page.text)) {
        if (checked.has(link)) continue;
        checked.add(link);
        const target = await get(link);
        expect([200, 301], `${path} links to ${link}`).toContain(target.status);
      }
    }
    expect(checked.has("/lesson")).toBe(true);
    expect([...checked].some((link) => link.startsWith("/files/"))).toBe(true);
  });

  it("open the READMEs' links to the app (where pnpm dev serves it) in the page's frame", async () => {
    const page = await get("/exercises/03-logout");
    expect(page.text).toContain('<a href="/logout" target="app">');
    expect(page.text).not.toContain('href="http://localhost:3000');
  });

  it("leave a link to where pnpm dev serves the app as written on a page with no app frame (the lesson)", async () => {
    const page = await get("/lesson");
    expect(page.text).not.toContain('target="app"');
    expect(page.text).toMatch(
      /<a href="http:\/\/localhost:3000" title="Where pnpm dev serves the app[^"]*">http:\/\/localhost:3000<\/a>/,
    );
  });

  it("give in-page links of the lesson the ids GitHub gives its headings", async () => {
    const lesson = await get("/lesson");
    const anchors = [...lesson.text.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]!);
    expect(anchors.length).toBeGreaterThan(0);
    for (const anchor of anchors) expect(lesson.text, anchor).toContain(`id="${anchor}"`);
  });

  it("show the grade as pending, and the hints as coming with it, before the first grade", async () => {
    const page = await get(`/exercises/${exercises[0]!.slug}`);
    expect(page.text).toContain("Grading…");
    expect(page.text).toContain("Hints come with the first grade.");
  });

  it("answer only to localhost and 127.0.0.1 at their port (no DNS rebinding), and refuse another site's form", async () => {
    expect((await get("/", { host: "attacker.example" })).status).toBe(403);
    expect((await get("/", { host: `localhost:${workbook.port + 1}` })).status).toBe(403);
    expect((await get("/", { host: `127.0.0.1:${workbook.port}` })).status).toBe(200);
    const posted = await fetch(`http://localhost:${workbook.port}/-/jar/clear`, {
      method: "POST",
      headers: { origin: "https://attacker.example" },
      redirect: "manual",
    });
    expect(posted.status).toBe(403);
  });

  it("never serve a file outside the course, its installed packages or the learner's progress", async () => {
    for (const path of [
      "/files/../../package.json",
      "/files/%2e%2e/package.json",
      "/files/%2e%2e/%2e%2e/etc/passwd",
      "/files/node_modules/.modules.yaml",
      "/files/.course/progress.json",
      "/files/.git/config",
      "/files/packages/grader/node_modules/tsx/package.json",
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect((await get("/files/package.json")).status).toBe(200);
  });

  it("show a folder with a trailing slash, and its entries as links", async () => {
    const bare = await get("/files/lesson/demo");
    expect(bare.status).toBe(301);
    expect(bare.location).toBe("/files/lesson/demo/");
    const folder = await get("/files/lesson/demo/");
    expect(folder.text).toContain('href="src/"');
    expect(folder.text).not.toContain("node_modules");
  });

  it("ask before showing a solution, in the instructor edition", async () => {
    const slug = exercises[0]!.slug;
    const confirm = await get(`/exercises/${slug}/solution`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("Yes, show the solution");
    expect(confirm.text).not.toContain("+++");
    const shown = await fetch(`http://localhost:${workbook.port}/exercises/${slug}/solution`, { method: "POST" });
    const diff = await shown.text();
    expect(diff).toContain('<span class="added">+');
    expect(diff).not.toContain("#region");
  });

  it("delete, on request, every cookie the browser sends, HttpOnly ones included, and say so (in the app's frame)", async () => {
    const response = await fetch(`http://localhost:${workbook.port}/-/jar/forget`, {
      method: "POST",
      headers: {
        cookie: "last_visit=2026-11-26T10%3A00%3A00.000Z; sid=s%3Aabc",
        referer: `http://localhost:${workbook.port}/exercises/03-logout`,
      },
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("delete 2 cookies");
    expect(response.headers.getSetCookie()).toEqual(["last_visit=; Max-Age=0; Path=/", "sid=; Max-Age=0; Path=/"]);
  });

  it("send a hints link typed by hand to the hints, and hide the generators' HTML comments", async () => {
    const hints = await get(`/exercises/${exercises[0]!.slug}/hints`);
    expect(hints.status).toBe(303);
    expect(hints.location).toBe(`/exercises/${exercises[0]!.slug}#hints`);
    const lesson = await get("/lesson");
    expect(lesson.text).not.toContain("&lt;!--");
  });

  it("send the frame's address bar to a path of the app, never to another site", async () => {
    expect((await get("/-/go?path=/last-visit")).location).toBe("/last-visit");
    expect((await get("/-/go?path=//attacker.example/")).location).toBe("/");
    expect((await get("/-/go?path=https://attacker.example/")).location).toBe("/");
  });
});
