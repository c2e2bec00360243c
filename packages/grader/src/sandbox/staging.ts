import {
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  type Dirent,
  type Stats,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { transform, type Message } from "esbuild";
import { isThirdParty, type AppPackages } from "./packages.js";

/** What staging keeps of an exercise's `src`: at most this many files and bytes (the rest is ignored, and said). */
export const STAGING_LIMITS = { files: 500, bytes: 5_000_000 } as const;

/** The learner's sources, collected: only regular files, and never through a link. */
export interface CollectedSources {
  readonly files: readonly { readonly path: string; readonly relative: string }[];
  /** What was left out and why, for the report: "src/lib (a symbolic link)". */
  readonly ignored: readonly string[];
  /** Set when there is nothing to grade: "src is missing", "src is a symbolic link". */
  readonly missing?: string;
  /** The files of `src/` left out for being symbolic links, relative to it (`app.ts`, `lib/x.ts`). */
  readonly linked?: readonly string[];
}

/**
 * Collects `<exerciseDir>/src` of a submission without following a symbolic link anywhere on the way: the exercise
 * folder, `src`, or anything below. A link could point anywhere on the grading machine (another student's work,
 * the solutions), so it is never read, only named in the report.
 */
export function collectSources(exerciseDir: string): CollectedSources {
  // Named from the folder that holds the exercises: exercises/01-set-datetime-cookie/src.
  const shown = `${basename(dirname(exerciseDir))}/${basename(exerciseDir)}`;
  for (const [path, label] of [
    // The folder that holds the exercises too: a submission's exercises/ may be a link (to the solutions, or to a
    // classmate's exercises/ beside it in a batch).
    [dirname(exerciseDir), basename(dirname(exerciseDir))],
    [exerciseDir, shown],
    [join(exerciseDir, "src"), `${shown}/src`],
  ] as const) {
    const stats = lstatOrUndefined(path);
    if (!stats) return { files: [], ignored: [], missing: `${label} is missing` };
    if (stats.isSymbolicLink())
      return {
        files: [],
        ignored: [`${label} (a symbolic link)`],
        missing: `${label} is a symbolic link, which is never followed`,
      };
    if (!stats.isDirectory())
      return { files: [], ignored: [`${label} (not a folder)`], missing: `${label} is not a folder` };
  }
  const files: { path: string; relative: string }[] = [];
  const ignored: string[] = [];
  const linked: string[] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      ignored.push(
        `${shown}/${relative(exerciseDir, dir).replace(/\\/g, "/")} (could not be read: ${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.toString("utf8").localeCompare(b.name.toString("utf8")))) {
      const name = entry.name.toString("utf8");
      const path = join(dir, name);
      // Named from the submission, as the report's other paths are: exercises/01-…/src/lib (a symbolic link).
      const named = `${shown}/${relative(exerciseDir, path).replace(/\\/g, "/")}`;
      // A name that is not UTF-8 reads back as another (U+FFFD) that does not exist: leave it out, and say so.
      if (!Buffer.from(name, "utf8").equals(entry.name)) ignored.push(`${named} (a name that is not UTF-8)`);
      else if (entry.isDirectory()) walk(path);
      else if (!entry.isFile()) {
        ignored.push(`${named} (${entry.isSymbolicLink() ? "a symbolic link" : "not a regular file"})`);
        if (entry.isSymbolicLink()) linked.push(relative(join(exerciseDir, "src"), path).replace(/\\/g, "/"));
      } else {
        const size = lstatSync(path).size;
        if (files.length >= STAGING_LIMITS.files || bytes + size > STAGING_LIMITS.bytes)
          ignored.push(`${named} (over the staging limit)`);
        else {
          files.push({ path, relative: relative(join(exerciseDir, "src"), path) });
          bytes += size;
        }
      }
    }
  };
  walk(join(exerciseDir, "src"));
  return { files, ignored, ...(linked.length > 0 ? { linked } : {}) };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The learner's code could not be turned into JavaScript: the message names the file and line. */
export class SyntaxProblem extends Error {
  override name = "SyntaxProblem";
  /** The learner's line it is on, as a report names it: `src/app.ts:12`. */
  readonly at: string | undefined;
  constructor(message: string, at: string | undefined) {
    super(message);
    this.at = at;
  }
}

/** The learner's files could not be staged as they are (a file that cannot be read, two that would be one): the message names them. */
export class StagingProblem extends Error {
  override name = "StagingProblem";
}

/** The folders a relative path lies in: a/b/c.js is in a and a/b. */
function ancestors(path: string): string[] {
  const folders: string[] = [];
  for (let folder = dirname(path); folder !== "." && folder !== dirname(folder); folder = dirname(folder))
    folders.push(folder);
  return folders;
}

const TYPESCRIPT = /\.(c|m)?ts$/;

/**
 * Writes the learner's files into a staging folder made by {@link prepareStaging}: TypeScript transpiled to
 * JavaScript with inline source maps (so errors still name src/app.ts and its line), three times (the second copy is
 * evaluated afresh for NODE_ENV=production, the third for production without COOKIE_SECRET).
 */
export async function writeStaging(root: string, sources: CollectedSources): Promise<void> {
  const outputs = await Promise.all(
    sources.files.map(async (file) => ({ file, ...(await transpile(file.path, file.relative)) })),
  );
  // src/app.ts becomes src/app.js: beside a folder src/app.js/ it has nowhere to go. Said as the learner's problem,
  // before anything is written: an error of the file system would stop a whole class's batch.
  const staged = outputs.map(({ file, name }) => ({
    source: file.relative,
    target: join(dirname(file.relative), name),
  }));
  const folders = new Set(staged.flatMap(({ target }) => ancestors(target)));
  const clash = staged.find(({ target }) => folders.has(target));
  if (clash) {
    const shown = (path: string) => `src/${path.replace(/\\/g, "/")}`;
    throw new StagingProblem(
      `${shown(clash.source)} runs as ${shown(clash.target)}, which is also a folder of src: rename one of them.`,
    );
  }
  for (const copy of [
    "src",
    join("production", "src"),
    join("production-without-secret", "src"),
    join("production-empty-secret", "src"),
  ]) {
    for (const { file, name, code } of outputs) {
      const target = join(root, copy, dirname(file.relative), name);
      try {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, code);
      } catch (error) {
        // A path that fits the submission's folder may not fit the staging folder's (ENAMETOOLONG).
        throw new StagingProblem(
          `src/${file.relative.replace(/\\/g, "/")} could not be staged (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
        );
      }
    }
  }
}

/**
 * The parts of a staging folder that do not depend on the learner's files, written before the app process starts
 * (a spare one waits for them): a package.json, links to the packages the app may import, a preload module that
 * warms them.
 */
export function prepareStaging(root: string, packages: AppPackages): void {
  mkdirSync(join(root, "node_modules"), { recursive: true });
  writeFileSync(join(root, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
  // The permission model checks a path as written, `..` folded, while the system follows links first: through a link
  // in this folder, `node_modules/<link>/../../x` is allowed as <root>/x and read as <the link's target>/../../x. A
  // link is safe only if walking up from its target as many folders as it lies below this folder stays in pnpm's
  // store: a third-party package at the top of node_modules is (.pnpm/<name@version>/node_modules/<name>). One of
  // the course's packages is not (packages/cookie-utils, three up is the workspace's parent): it is copied, as
  // published (package.json and dist), and its dependencies are linked at the top beside it.
  for (const dependency of [...packages.direct, ...packages.hoisted]) {
    const target = join(root, "node_modules", dependency.name);
    mkdirSync(dirname(target), { recursive: true });
    if (isThirdParty(dependency.realDir)) symlinkSync(dependency.realDir, target, "junction");
    else {
      mkdirSync(target);
      for (const part of ["package.json", "dist"])
        cpSync(join(dependency.realDir, part), join(target, part), { recursive: true, dereference: true });
    }
  }
  writeFileSync(
    join(root, "preload.js"),
    packages.direct.map((dependency) => `import ${JSON.stringify(dependency.name)};\n`).join(""),
  );
}

/** A learner's file, or a {@link StagingProblem} that names it (a file without read permission, say). */
function readLearnerFile(path: string, relativePath: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new StagingProblem(
      `src/${relativePath.replace(/\\/g, "/")} could not be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
}

async function transpile(path: string, relativePath: string): Promise<{ name: string; code: string | Buffer }> {
  const name = basename(relativePath);
  if (!TYPESCRIPT.test(name) || name.endsWith(".d.ts")) return { name, code: readLearnerFile(path, relativePath) };
  const source = readLearnerFile(path, relativePath).toString("utf8");
  try {
    const result = await transform(source, {
      loader: "ts",
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      // Relative to the output file, so a stack names src/…/name.ts, wherever the staging folder is.
      sourcefile: name,
    });
    return { name: name.replace(/ts$/, "js"), code: result.code };
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    if (!first) throw error;
    const file = `src/${relativePath.replace(/\\/g, "/")}`;
    const where = first.location ? `:${first.location.line}:${first.location.column + 1}` : "";
    throw new SyntaxProblem(
      `syntax error at ${file}${where}: ${first.text}`,
      first.location ? `${file}:${first.location.line}` : undefined,
    );
  }
}
