import { existsSync, realpathSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Response } from "express";
import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import { hintKey, readProgress, writeProgress } from "@cookie-course/grader/progress";
import { firstFailure, type ExerciseResult } from "@cookie-course/grader/report";
import { AppRunner } from "./app-runner.js";
import { findExercise, readCourse, standings, type Course } from "./course.js";
import { EventHub } from "./events.js";
import { localOnly, ownPagesOnly } from "./guard.js";
import { LiveGrade } from "./live-grade.js";
import { filePage, folderPage, HIDDEN_ENTRIES, homePage, lessonPage } from "./pages/course-pages.js";
import { appStatus, exercisePage, hintsPanel } from "./pages/exercise.js";
import { gradeBody } from "./pages/grade-panel.js";
import { courseNav, layout } from "./pages/layout.js";
import { solutionConfirmPage, solutionDiffPage } from "./pages/solution.js";
import { renderJarPanel } from "./proxy/jar-panel.js";
import { CookieRecorder } from "./proxy/recorder.js";
import { recordingProxy } from "./proxy/recording-proxy.js";

const STATIC_DIR = fileURLToPath(new URL("../static/", import.meta.url));

/** How long a request to the app waits for it to start, or to restart after a save, before it is told so. */
const APP_START_MS = 15_000;

export interface WorkbookOptions {
  /** The course's root folder. */
  readonly root: string;
  /** 0 for any free port (tests). */
  readonly port: number;
  /** Whether to grade (off in tests of the pages alone). */
  readonly grade?: boolean;
  /** How long a request waits for the app's answer: the proxy's ANSWER_TIMEOUT_MS unless told (tests). */
  readonly answerTimeoutMs?: number;
}

export interface RunningWorkbook {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The workbook: the course's pages, the live grade pushed to them, and the learner's app behind a recording
 * proxy, all on one local origin. Listens on 127.0.0.1 only: nothing of it is reachable from the network.
 */
export async function startWorkbook({
  root,
  port,
  grade = true,
  answerTimeoutMs,
}: WorkbookOptions): Promise<RunningWorkbook> {
  const course = readCourse(root);
  const events = new EventHub();
  const liveGrade = new LiveGrade(course);
  const runner = new AppRunner();
  const recorder = new CookieRecorder();
  let listeningPort = port;

  /** What a page needs to show a new grade: the panel, the hints and the course's nav (standings may change). */
  const gradeEvent = (result: ExerciseResult) => {
    const exercise = findExercise(course, result.id);
    if (!exercise) return undefined;
    return {
      exercise: result.id,
      grade: gradeBody(result, undefined, liveGrade.gradedAt(result.id)).toString(),
      hints: hintsPanel(exercise, result, readProgress(root).exercises[result.id]).toString(),
      nav: courseNav(course, standings(course, liveGrade.latest), undefined).toString(),
    };
  };
  liveGrade.onGrade((result, regrade) => {
    const data = gradeEvent(result);
    if (data) events.send("grade", data);
    // A save: the app restarts with the new code once its grade is out (the learner waits on the grade first).
    if (regrade) void runner.restart(result.id);
  });
  // The panel is pushed at most every 100 ms: a page that makes many requests at once gets it once.
  let jarPush: NodeJS.Timeout | undefined;
  recorder.onChange(() => {
    jarPush ??= setTimeout(() => {
      jarPush = undefined;
      events.send("jar", { html: renderJarPanel(recorder).toString() });
    }, 100);
  });
  runner.onChange((status) =>
    events.send("app", { exercise: status.exercise, state: status.state, html: appStatus(status).toString() }),
  );
  // Another exercise's app: its requests are its own (the browser's cookies, and so the jar, stay).
  let shownExercise: string | undefined;
  runner.onChange(({ exercise }) => {
    if (exercise !== shownExercise) recorder.clearRequests();
    shownExercise = exercise;
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(localOnly(() => listeningPort));
  const ownPages = ownPagesOnly(() => listeningPort);
  app.use("/-", ownPages);
  app.use("/-/static", express.static(STATIC_DIR, { index: false }));
  app.get("/-/events", (_req, res) => {
    // A page rendered before a grade arrived, and subscribed after, would miss it: each new page gets the latest.
    events.subscribe(
      res,
      [...liveGrade.latest.values()]
        .flatMap((result) => gradeEvent(result) ?? [])
        .map((data) => ({ event: "grade", data })),
    );
  });
  app.get("/-/go", (req, res) => res.redirect(303, appPath(req.query.path)));
  app.get("/-/jar", (_req, res) =>
    res
      .type("html")
      .send(
        page(course, liveGrade, "Cookie jar", undefined, html`<h1>Your app's cookies</h1>${renderJarPanel(recorder)}`),
      ),
  );
  app.post("/-/jar/clear", (_req, res) => {
    recorder.clear();
    res.redirect(303, "/-/jar");
  });
  app.post("/-/jar/forget", (req, res) => {
    // The browser deletes a cookie when a response from its origin sends it expired: the workbook's origin is the
    // app's, so it can, HttpOnly cookies included. Each one the browser sent, on Path=/ and where it was seen set.
    const lines = forgetAll(req.headers.cookie, recorder);
    res.setHeader("Set-Cookie", lines);
    recorder.clear();
    // The answer shows in the app's frame (the form's target): the workbook's page stays, and so does its frame's
    // page, which a reload of the whole page would visit again (a home page that sets a cookie would set it again).
    res.type("html").send(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cookies deleted</title></head><body>
<h1>Cookies deleted</h1>
<p>The workbook told the browser to delete ${String(lines.length)} cookie${lines.length === 1 ? "" : "s"} for localhost. <a href="/">Open the app's home</a>, or another of its pages, to start again.</p>
</body></html>`.toString(),
    );
  });
  // The workbook's own addresses: what is not found there is not the app's either.
  app.use("/-", (_req, res) => notFound(res, course, liveGrade));

  const proxy = recordingProxy({
    target: () => runner.address(APP_START_MS),
    recorder,
    unavailable: () => unavailableReason(runner),
    printed: () => runner.status.output,
    answerTimeoutMs,
    // The app's state on the page follows what its requests meet: a request it never answers is said there too.
    onAnswer: (answer) => (answer.answered ? runner.answered() : runner.notAnswering(answer.reason)),
  });
  // A navigation inside the app's frame is the app's, whatever its path (its own "/" included). The frame's last
  // page is remembered, so a reload of the workbook's page shows it again rather than the app's home (whose visit
  // would set the cookie again just after a logout).
  const framePaths = new Map<string, string>();
  app.use((req, res, next) => {
    if (req.headers["sec-fetch-dest"] !== "iframe") return next();
    const exercise = runner.status.exercise;
    if (exercise && req.method === "GET") framePaths.set(exercise, req.originalUrl);
    proxy(req, res, next);
  });

  // The workbook's own pages (and only they: the app's paths answer as the app does).
  app.use(["/lesson", "/exercises", "/files"], ownPages);
  app.get("/", ownPages, (_req, res) =>
    res
      .type("html")
      .send(page(course, liveGrade, "Start", undefined, homePage(course, standings(course, liveGrade.latest)))),
  );
  app.get("/lesson", (_req, res) =>
    res.type("html").send(page(course, liveGrade, "Lesson", "lesson", lessonPage(root))),
  );
  app.get("/exercises/:slug", (req, res) => {
    const exercise = findExercise(course, req.params.slug);
    if (!exercise) return exerciseNotFound(res, req.params.slug, course, liveGrade);
    void runner.use(exercise);
    const body = exercisePage({
      framePath: framePaths.get(exercise.app.slug) ?? "/",
      exercise,
      root,
      result: liveGrade.latest.get(exercise.app.slug),
      graderFailure: liveGrade.failure,
      gradedAt: liveGrade.gradedAt(exercise.app.slug),
      progress: readProgress(root).exercises[exercise.app.slug],
      app:
        runner.status.exercise === exercise.app.slug
          ? runner.status
          : { exercise: exercise.app.slug, state: "starting", output: "" },
      jar: renderJarPanel(recorder),
    });
    res
      .type("html")
      .send(page(course, liveGrade, `${exercise.app.number} · ${exercise.title}`, exercise.app.slug, body));
  });
  const form = express.urlencoded({ extended: false, limit: "2kb" });
  app.get("/exercises/:slug/hints", (req, res) =>
    res.redirect(303, `/exercises/${encodeURIComponent(req.params.slug)}#hints`),
  );
  app.post("/exercises/:slug/hints", form, (req, res) => {
    const exercise = findExercise(course, req.params.slug);
    if (!exercise) return notFound(res, course, liveGrade);
    const result = liveGrade.latest.get(exercise.app.slug);
    const failed = result ? firstFailure(result) : undefined;
    // One more hint of the check the learner saw, if it is still the first to fix (a save may have moved on).
    if (failed && (req.body as { check?: unknown }).check === failed.id) {
      const progress = readProgress(root);
      const entry = (progress.exercises[exercise.app.slug] ??= {});
      const shown = Math.min((entry.hintsShown?.[hintKey(failed)] ?? 0) + 1, failed.hints?.length ?? 0);
      entry.hintsShown = { ...entry.hintsShown, [hintKey(failed)]: shown };
      writeProgress(root, progress);
    }
    res.redirect(303, `/exercises/${exercise.app.slug}#hints`);
  });
  app.get("/exercises/:slug/solution", (req, res) => {
    const exercise = findExercise(course, req.params.slug);
    if (!exercise?.solutionDir) return notFound(res, course, liveGrade);
    res
      .type("html")
      .send(
        page(course, liveGrade, `Solution of ${exercise.app.number}`, exercise.app.slug, solutionConfirmPage(exercise)),
      );
  });
  app.post("/exercises/:slug/solution", async (req, res) => {
    const exercise = findExercise(course, req.params.slug);
    if (!exercise?.solutionDir) return notFound(res, course, liveGrade);
    const { solutionPatches } = await loadSolutionDiff();
    const patches = solutionPatches(exercise.app.slug, exercise.app.dir, exercise.solutionDir);
    res
      .type("html")
      .send(
        page(
          course,
          liveGrade,
          `Solution of ${exercise.app.number}`,
          exercise.app.slug,
          solutionDiffPage(exercise, patches),
        ),
      );
  });
  app.get("/files/*path", (req, res) => {
    const segments = (req.params as { path: string[] }).path.filter((segment) => segment !== "");
    const file = courseFile(root, segments);
    if (!file) return notFound(res, course, liveGrade);
    const path = segments.join("/");
    if (file.folder) {
      if (!req.path.endsWith("/")) return res.redirect(301, `${req.path}/`);
      return res.type("html").send(page(course, liveGrade, path, undefined, folderPage(path, file.absolute)));
    }
    if (/\.(png|jpe?g|gif|svg|webp)$/i.test(path)) {
      // A picture stays a picture: an SVG opened on its own runs no script on the workbook's origin.
      res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      return res.sendFile(file.absolute);
    }
    res.type("html").send(page(course, liveGrade, path, undefined, filePage(root, path, file.absolute)));
  });
  // Everything else is the app's: its pages, forms, redirects and assets, at their own paths.
  app.use(proxy);
  // A request the workbook cannot read (a malformed percent-escape) gets a sentence, not a stack trace.
  app.use((error: unknown, _req: express.Request, res: Response, _next: express.NextFunction) => {
    const status =
      typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 500;
    if (status >= 500) console.error("The workbook failed to answer:", error);
    res
      .status(status)
      .type("text/plain")
      .send(
        status === 400
          ? "The workbook could not read this address.\n"
          : "The workbook failed to answer this request; its terminal says why.\n",
      );
  });

  const server = await listen(app, port);
  listeningPort = (server.address() as { port: number }).port;
  if (grade) liveGrade.start();
  return {
    url: `http://localhost:${listeningPort}`,
    port: listeningPort,
    async close() {
      events.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([liveGrade.close(), runner.stop()]);
    },
  };
}

function page(course: Course, liveGrade: LiveGrade, title: string, here: string | undefined, body: SafeHtml): string {
  return layout({ title, course, standings: standings(course, liveGrade.latest), here, body });
}

function notFound(res: Response, course: Course, liveGrade: LiveGrade): void {
  res
    .status(404)
    .type("html")
    .send(
      page(
        course,
        liveGrade,
        "Not found",
        undefined,
        html`<h1>Not found</h1><p>No such page in the workbook. <a href="/">Back to the start</a>.</p>`,
      ),
    );
}

/**
 * An exercise page the workbook does not have. One released since `pnpm start` started (`release:learner --update`)
 * is on disk but not in the course read at start, which the live grade watches too (the warm grader grades the
 * exercises it was started with): a restart shows it, and the page says so rather than "no such page".
 */
function exerciseNotFound(res: Response, slug: string, course: Course, liveGrade: LiveGrade): void {
  let added: ReturnType<typeof findExercise>;
  try {
    added = findExercise(readCourse(course.root), slug);
  } catch {
    // A folder being copied in (no package.json yet): not an exercise yet either.
  }
  if (!added) return notFound(res, course, liveGrade);
  res
    .status(404)
    .type("html")
    .send(
      page(
        course,
        liveGrade,
        "Added since the workbook started",
        undefined,
        html`<h1>${added.app.number} · ${added.title}</h1>
<p>This exercise was added after the workbook started, so it does not show it yet. Stop the workbook (Ctrl+C in the terminal that runs <code>pnpm start</code>) and run <code>pnpm start</code> again: this page then shows the exercise, its live grade and its app.</p>
<p>Meanwhile <code>pnpm dev ${added.app.number}</code> runs its app and <code>pnpm test ${added.app.number}</code> grades it. <a href="/">Back to the start</a>.</p>`,
      ),
    );
}

/**
 * A file or folder of the course that a README may link to: inside the course (no `..`, no link out of it), and
 * not installed packages, build output or the learner's progress.
 */
function courseFile(root: string, segments: readonly string[]): { absolute: string; folder: boolean } | undefined {
  // A segment is one name: an encoded slash (%2F) inside one would smuggle a path past the checks.
  if (segments.some((segment) => /[/\\]/.test(segment) || !allowedName(segment))) return undefined;
  const absolute = join(root, ...segments);
  if (!existsSync(absolute)) return undefined;
  const real = realpathSync(absolute);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined;
  // And every name on the way, as the file really is (through links inside the course).
  if (!relative(realRoot, real).split(sep).filter(Boolean).every(allowedName)) return undefined;
  return { absolute: real, folder: statSync(real).isDirectory() };
}

/** A name a /files/ path may hold: not `.` or `..`, not hidden, not installed packages or build output. */
function allowedName(name: string): boolean {
  return name !== "" && !name.startsWith(".") && !HIDDEN_ENTRIES.has(name);
}

/** The frame's address bar: a path of the app, never another site (a browser reads `\` as `/`). */
function appPath(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return "/";
  const base = "http://workbook.invalid";
  const url = new URL(value, base);
  return url.origin === base ? url.pathname + url.search + url.hash : "/";
}

/** What `@cookie-course/course-tools/solution-diff` exports (see there). */
interface SolutionDiffModule {
  solutionPatches(slug: string, exerciseDir: string, solutionDir: string): { file: string; patch: string }[];
}

/**
 * Only the instructor edition has solutions, and the code that compares them: the learner edition leaves that
 * module out, so it is named at run time here (never reached there), not imported where the compiler would look.
 */
function loadSolutionDiff(): Promise<SolutionDiffModule> {
  const specifier = "@cookie-course/course-tools/solution-diff";
  return import(specifier) as Promise<SolutionDiffModule>;
}

/** `Set-Cookie` lines that delete every cookie the browser sent, and every one the jar knows where it was set. */
function forgetAll(cookieHeader: string | undefined, recorder: CookieRecorder): string[] {
  const lines = new Set<string>();
  for (const pair of (cookieHeader ?? "").split(";")) {
    const name = pair.split("=")[0]!.trim();
    if (name !== "" && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) lines.add(`${name}=; Max-Age=0; Path=/`);
  }
  for (const cookie of recorder.jar()) {
    if (
      cookie.source !== "set-cookie" ||
      !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookie.name) ||
      !/^\/[^;\s]*$/.test(cookie.path)
    )
      continue;
    lines.add(`${cookie.name}=; Max-Age=0; Path=${cookie.path}${cookie.hostOnly ? "" : `; Domain=${cookie.domain}`}`);
  }
  return [...lines];
}

/** Why the app cannot take a request, in a sentence; the proxy's page shows what the app printed below it. */
function unavailableReason(runner: AppRunner): string | undefined {
  const { exercise, state } = runner.status;
  const detail = runner.status.detail?.replace(/\.$/, "");
  if (!exercise) return "No exercise's app runs yet: open an exercise's page in the workbook.";
  if (state === "not-answering") return `The app of ${exercise} does not answer${detail ? `: ${detail}` : ""}.`;
  if (state === "ended")
    return `The app of ${exercise} ended${detail ? `: ${detail}` : ""}. It starts again on your next save.`;
  return undefined;
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1", (error) => (error ? reject(error) : resolve(server)));
  });
}
