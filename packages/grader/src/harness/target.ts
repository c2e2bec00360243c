import { existsSync } from "node:fs";
import type { RequestListener } from "node:http";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { vi } from "vitest";
import { restoreIntrinsics, withContainedListen } from "./isolation.js";

/** What supertest can send requests to: an Express app is a request listener. */
export type App = RequestListener;

/** The learner's app could not be built: the message says why, in the learner's terms. */
export class LoadError extends Error {
  override name = "LoadError";
}

/**
 * Builds apps from one exercise folder's `src/app.ts`, the way the course's contract says: it exports
 * `createApp()`, which returns an Express app and never listens.
 */
export class AppLoader {
  readonly #appDir: string;
  readonly #entry: string;

  constructor(appDir: string) {
    this.#appDir = appDir;
    this.#entry = join(appDir, "src", "app.ts");
  }

  /**
   * A new app from `createApp()`. With `fresh`, the module is evaluated again first, so settings read at import
   * (such as `process.env.NODE_ENV`) take their current value.
   */
  async create({ fresh = false }: { fresh?: boolean } = {}): Promise<App> {
    if (!existsSync(this.#entry)) {
      throw new LoadError(`${this.#relative(this.#entry)} is missing: each exercise's app lives in src/app.ts.`);
    }
    if (fresh) vi.resetModules();
    try {
      return await withContainedListen(() => this.#build());
    } finally {
      restoreIntrinsics();
    }
  }

  async #build(): Promise<App> {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(this.#entry).href)) as Record<string, unknown>;
    } catch (error) {
      throw new LoadError(`src/app.ts could not be loaded: ${this.#clean(error)}`);
    }
    const createApp = module.createApp;
    if (typeof createApp !== "function") {
      throw new LoadError("src/app.ts does not export a function named createApp: keep `export function createApp()`.");
    }
    let app: unknown;
    try {
      app = await (createApp as () => unknown)();
    } catch (error) {
      throw new LoadError(`createApp() threw: ${this.#clean(error)}`);
    }
    if (typeof app !== "function") {
      throw new LoadError(`createApp() must return the Express app (\`return app;\`), but it returned ${describe(app)}.`);
    }
    return app as App;
  }

  /**
   * An error of the learner's code, told in the learner's terms: paths from their exercise folder (src/app.ts:9:5,
   * wherever the grader staged it), no colours, the first lines, no grader frames.
   */
  #clean(error: unknown): string {
    const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
    const slug = basename(this.#appDir);
    return stripVTControlCharacters(text)
      .replace(/\\/g, "/")
      .replace(new RegExp(`[^\\s"'(]*/${escapeRegExp(slug)}/`, "g"), "")
      .split("\n")
      .filter((line) => !/^\s+at /.test(line))
      .slice(0, 6)
      .join("\n")
      .trim();
  }

  #relative(path: string): string {
    return path.slice(this.#appDir.length + 1).replace(/\\/g, "/");
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "object" && typeof (value as { then?: unknown }).then === "function") return "a Promise";
  return `a ${typeof value}`;
}
