import { startWorkbook, type RunningWorkbook } from "@cookie-course/workbook";
import { afterAll, beforeAll } from "vitest";
import { chromiumMissing } from "./chromium.js";
import { makeScratchCourse, type ScratchCourse } from "./scratch-course.js";

/** The workbook of the tests of one file, over a scratch course of its own. */
export interface WorkbookHandle {
  /** `http://localhost:PORT` + `path`. */
  url(path: string): string;
  readonly course: ScratchCourse;
}

/**
 * Starts the workbook (`pnpm start`'s server, with its live grade and app runner) over a scratch copy of the
 * starters `slugs`, for the whole file: the tests save files in that copy, never in the repo's exercises/. The
 * tests start once every exercise has its first grade, so each page they open has its grade from the start.
 */
export function useWorkbook(slugs: readonly string[]): WorkbookHandle {
  let course: ScratchCourse | undefined;
  let workbook: RunningWorkbook | undefined;
  beforeAll(async () => {
    if (chromiumMissing() !== undefined) return;
    course = makeScratchCourse(slugs);
    workbook = await startWorkbook({ root: course.root, port: 0 });
    await firstGrades(workbook.url, slugs);
  });
  afterAll(async () => {
    await workbook?.close();
    course?.remove();
  });

  const running = () => {
    if (!workbook || !course) throw new Error("useWorkbook(): the workbook is running only inside a test");
    return { workbook, course };
  };
  return {
    url: (path) => `${running().workbook.url}${path}`,
    get course() {
      return running().course;
    },
  };
}

/**
 * Waits until the workbook has pushed a first grade of each exercise. Listening from the moment it started: the
 * first grade takes seconds (the grader starts its app processes first), and an event sent before is not replayed.
 */
async function firstGrades(url: string, slugs: readonly string[]): Promise<void> {
  const waiting = new Set(slugs);
  const stream = new AbortController();
  const response = await fetch(`${url}/-/events`, { signal: stream.signal });
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of response.body ?? []) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      for (const [, slug] of text.matchAll(/^event: grade\ndata: \{"exercise":"([^"]+)"/gm)) waiting.delete(slug!);
      if (waiting.size === 0) return;
    }
    throw new Error(`The workbook stopped its events before grading ${[...waiting].join(", ")}`);
  } finally {
    stream.abort();
  }
}
