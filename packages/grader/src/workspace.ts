import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "./errors.js";

/** The repository root: three folders up from this file (packages/grader/src, or dist once built). */
export const workspaceRoot = fileURLToPath(new URL("../../../", import.meta.url));

export type AppKind = "exercise" | "solution";

const FOLDER_OF: Record<AppKind, string> = { exercise: "exercises", solution: "solutions" };

/** An exercise or solution app, found from its folder: `exercises/01-set-datetime-cookie`. */
export interface CourseApp {
  readonly kind: AppKind;
  /** The folder name, the same under exercises/ and solutions/: `01-set-datetime-cookie`. */
  readonly slug: string;
  /** The two-digit number that starts the slug: `01`. */
  readonly number: string;
  readonly dir: string;
  readonly packageName: string;
}

const SLUG = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Every app of a kind, in course order. Derived from the folders, so a new exercise needs no registration. */
export function listApps(kind: AppKind, root = workspaceRoot): CourseApp[] {
  const parent = join(root, FOLDER_OF[kind]);
  // The learner edition has no solutions/ at all.
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && SLUG.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((slug) => {
      const dir = join(parent, slug);
      return { kind, slug, number: slug.slice(0, 2), dir, packageName: readPackageName(dir) };
    });
}

/** Finds an app by number (`2`, `02`) or full slug; throws a message that lists what exists. */
export function findApp(kind: AppKind, query: string, root = workspaceRoot): CourseApp {
  const apps = listApps(kind, root);
  const wanted = /^\d+$/.test(query) ? query.padStart(2, "0") : query;
  const app = apps.find((candidate) => candidate.number === wanted || candidate.slug === wanted);
  if (app) return app;
  const known = apps.map((candidate) => candidate.slug).join(", ");
  throw new UsageError(`No ${kind} "${query}". Choose one of: ${known}.`);
}

/** The package name an app folder must have: derived from its path, so it can never be chosen by hand. */
export function packageNameFor(kind: AppKind, slug: string): string {
  return `@cookie-course/${kind}-${slug}`;
}

function readPackageName(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
  if (typeof manifest.name !== "string") throw new Error(`${join(dir, "package.json")} has no "name".`);
  return manifest.name;
}
