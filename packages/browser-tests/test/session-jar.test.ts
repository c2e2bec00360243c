import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { request, type RequestListener } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BrowserJar, type BrowserCookie } from "@cookie-course/cookie-testing";
import { workspaceRoot } from "@cookie-course/grader/workspace";
import type { Cookie as PlaywrightCookie } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
// The grader's fixtures, laid out as its tests grade them (a fixture holds only what it changes of a solution).
import { fixtureSrc, readFixtures } from "../../grader/test/fixture-source.js";
import { useBrowser, useServer, type ServerHandle } from "../src/harness.js";

/**
 * The grader judges 05's cookies with its own jar (@cookie-course/cookie-testing) over plain HTTP: after a login and a
 * walk of the pages, it holds every cookie the app set, and a cookie that sent alone to /profile signs the visitor
 * in is a credential, whatever its name. This test confirms those judgements in Chromium, on the grader's attack
 * fixtures that the judgements were made for: a decoy signed cookie set before the session cookie, a remember-me
 * token readable by script, and a second cookie set one page after the login.
 *
 * Each app is visited twice, as the grader does over HTTP (a BrowserJar) and by Chromium through the login form, in
 * the same steps; both must hold the same cookies, and the same cookies must sign the visitor in by themselves.
 */

/** The pages opened after the login, as the grader's walk opens them (packages/grader/src/checks/site-walk.ts). */
const PAGES_AFTER_LOGIN = ["/profile", "/", "/last-visit", "/login", "/profile"] as const;
const USERNAME = "ada";

interface JarCase {
  /** A folder of packages/grader/test/fixtures, or the solution itself. */
  readonly fixture: string;
  /** The cookies that sign the visitor in by themselves, as both sides must find them. */
  readonly signIn: readonly string[];
  /** The cookies a page script can read (not HttpOnly), among those the login and the walk left. */
  readonly readableByScript: readonly string[];
  /** A cookie whose value must carry the username, as the grader says it does. */
  readonly holdsName?: string;
}

const CASES: readonly JarCase[] = [
  { fixture: "solution", signIn: ["sid"], readableByScript: [] },
  // The decoy is signed with the secret and set first, yet signs nobody in; the session cookie is the readable one.
  { fixture: "05-attack-decoy-signed-cookie", signIn: ["sid"], readableByScript: ["sid"] },
  // Two keys to the account, and page scripts can read the second.
  { fixture: "05-attack-readable-remember-me", signIn: ["remember", "sid"], readableByScript: ["remember"] },
  // The login's answer holds no name; the profile page sets it.
  { fixture: "05-attack-name-in-cookie-on-profile", signIn: ["sid"], readableByScript: [], holdsName: "user" },
];

/** Copies of the fixtures' src, beside a link to the solution's node_modules (express, express-session…). */
const copies = mkdtempSync(join(tmpdir(), "session-jar-"));
afterAll(() => rmSync(copies, { recursive: true, force: true }));

async function loadApp(fixture: string): Promise<() => RequestListener> {
  const solution = join(workspaceRoot, "solutions", "05-login-session");
  let src = join(solution, "src");
  if (fixture !== "solution") {
    // The fixture as the grader's tests grade it: the solution's src, with the fixture's changes made.
    const dir = join(copies, fixture);
    const found = (await readFixtures()).find((one) => one.name === fixture);
    if (!found) throw new Error(`no grader fixture named ${fixture}`);
    cpSync(fixtureSrc(found), join(dir, "src"), { recursive: true });
    symlinkSync(
      join(solution, "node_modules"),
      join(dir, "node_modules"),
      process.platform === "win32" ? "junction" : "dir",
    );
    src = join(dir, "src");
  }
  const { createApp } = (await import(pathToFileURL(join(src, "app.ts")).href)) as { createApp: () => RequestListener };
  return createApp;
}

/** A cookie as both sides can report it, its value left out: each side has a session of its own. */
interface Seen {
  readonly name: string;
  readonly domain: string;
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: string;
}

// Loaded before the tests are collected: useServer() takes the app as it starts its server.
const APPS = await Promise.all(CASES.map(async (row) => ({ row, createApp: await loadApp(row.fixture) })));

for (const { row, createApp } of APPS) {
  describe(`the grader's jar and Chromium agree on ${row.fixture}`, () => {
    const browser = useBrowser();
    const app = useServer(createApp);

    it("holds the same cookies after the login and the walk, and the same ones sign the visitor in alone", async () => {
      const { page, context } = browser;
      await page.goto(app.url("/login"));
      await page.fill('input[name="username"]', USERNAME);
      await page.click('main button[type="submit"]');
      await page.waitForURL(app.url("/profile"));
      for (const path of PAGES_AFTER_LOGIN) await page.goto(app.url(path));
      const chromium = await context.cookies();

      const jar = await graderVisit(app);
      expect(sortSeen(jar.cookies().map(fromJar)), "the grader's jar holds what Chromium holds").toEqual(
        sortSeen(chromium.map(fromChromium)),
      );

      // What the grader finds over HTTP: each cookie of its jar sent alone to /profile.
      const graderSigning: string[] = [];
      for (const cookie of jar.cookies()) {
        const profile = await send(app, "GET", "/profile", `${cookie.name}=${cookie.value}`);
        if (profile.body.includes(`Signed in as <strong>${USERNAME}</strong>`)) graderSigning.push(cookie.name);
      }
      expect(graderSigning.sort(), "the cookies that sign in alone, over HTTP").toEqual([...row.signIn].sort());

      // And in Chromium: a fresh browser that holds only that cookie.
      const chromiumSigning: string[] = [];
      for (const cookie of chromium) {
        const alone = await context.browser()!.newContext();
        try {
          await alone.addCookies([cookie]);
          const other = await alone.newPage();
          await other.goto(app.url("/profile"));
          if ((await other.locator("main").innerText()).includes(`Signed in as ${USERNAME}`))
            chromiumSigning.push(cookie.name);
        } finally {
          await alone.close();
        }
      }
      expect(chromiumSigning.sort(), "the cookies that sign in alone, in Chromium").toEqual([...row.signIn].sort());

      // A page script reads exactly the cookies the grader's jar holds without HttpOnly.
      const script = (await page.evaluate(() => document.cookie))
        .split("; ")
        .filter(Boolean)
        .map((pair) => pair.split("=")[0]);
      const notHttpOnly = jar
        .cookies()
        .filter(({ httpOnly }) => !httpOnly)
        .map(({ name }) => name);
      expect(script.sort(), "document.cookie").toEqual(notHttpOnly.sort());
      expect(
        notHttpOnly.filter((name) => name !== "last_visit").sort(),
        "readable by script, besides last_visit",
      ).toEqual([...row.readableByScript].sort());

      if (row.holdsName) {
        const held = chromium.find(({ name }) => name === row.holdsName);
        expect(decodeURIComponent(held?.value ?? ""), `${row.holdsName} in Chromium`).toContain(USERNAME);
        expect(
          decodeURIComponent(jar.get(row.holdsName)?.value ?? ""),
          `${row.holdsName} in the grader's jar`,
        ).toContain(USERNAME);
      }
    });
  });
}

/**
 * The same visit over plain HTTP, with the grader's jar: the login form posted, its redirect followed, then the
 * pages. Each answer's Set-Cookie lines go to the jar, and each request carries what the jar sends to its path.
 */
async function graderVisit(app: ServerHandle): Promise<BrowserJar> {
  const jar = new BrowserJar({ origin: new URL(app.origin).origin });
  const exchange = async (method: "GET" | "POST", path: string, form?: Record<string, string>) => {
    const answer = await send(app, method, path, jar.cookieHeaderFor(path), form);
    jar.store({ headers: { "set-cookie": [...answer.setCookie] } }, { path });
    return answer;
  };
  await exchange("GET", "/login");
  const login = await exchange("POST", "/login", { username: USERNAME });
  expect(login.location, "the login redirects to /profile").toBe("/profile");
  await exchange("GET", "/profile");
  for (const path of PAGES_AFTER_LOGIN) await exchange("GET", path);
  return jar;
}

function fromChromium(cookie: PlaywrightCookie): Seen {
  const { name, domain, path, secure, httpOnly, sameSite } = cookie;
  return { name, domain, path, secure, httpOnly, sameSite };
}

function fromJar(cookie: BrowserCookie): Seen {
  return {
    name: cookie.name,
    domain: cookie.hostOnly ? cookie.domain : `.${cookie.domain}`,
    path: cookie.path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    // Chromium treats a cookie without a (known) SameSite as Lax, and reports it so.
    sameSite: { strict: "Strict", lax: "Lax", none: "None" }[cookie.sameSite ?? "lax"],
  };
}

function sortSeen(cookies: Seen[]): Seen[] {
  return cookies.sort((a, b) => `${a.name}\u0000${a.path}`.localeCompare(`${b.name}\u0000${b.path}`));
}

/** Answers of one HTTP exchange, as the grader reads them. */
interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookie: readonly string[];
  readonly body: string;
}

function send(
  server: ServerHandle,
  method: "GET" | "POST",
  path: string,
  cookie: string | undefined,
  form?: Record<string, string>,
): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const outgoing = request(server.url(path), {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body
          ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) }
          : {}),
      },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookie: response.headers["set-cookie"] ?? [],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.end(body);
  });
}
