import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** A package an app may import, and every path through which Node reaches its files. */
export interface AppPackage {
  readonly name: string;
  /** Where the package's files really are (pnpm keeps them in node_modules/.pnpm). */
  readonly realDir: string;
  /** The folders (or files) of it an app may read: all of a third-party package; package.json and dist of ours. */
  readonly readable: readonly string[];
}

/** The packages an app may import, and what of them it may read: the closure of its package.json dependencies. */
export interface AppPackages {
  /** The app's direct dependencies: what its staging folder's node_modules links to (or copies, see `hoisted`). */
  readonly direct: readonly AppPackage[];
  /**
   * The dependencies of the course's own direct dependencies, which are copied into the staging folder rather than
   * linked: their dependencies are linked beside them, at the top of node_modules.
   */
  readonly hoisted: readonly AppPackage[];
  /** Every path an app process may read to load them (real folders, and pnpm's folders of links). */
  readonly readable: readonly string[];
  /** Folders holding the links that dependencies resolve through (pnpm's `.pnpm/<pkg>/node_modules`). */
  readonly linkFolders: readonly string[];
}

const cache = new Map<string, AppPackages>();

/**
 * The packages that an exercise's app may use: the `dependencies` of the exercise's package.json in this
 * workspace (never a submission's own package.json), with everything they need in turn.
 *
 * @param packageDir the workspace's exercise package folder: `exercises/01-set-datetime-cookie`
 */
export function appPackages(packageDir: string): AppPackages {
  const known = cache.get(packageDir);
  if (known) return known;
  const direct = dependencyNames(packageDir).map((name) => resolvePackage(name, packageDir));
  const readable = new Set<string>();
  const linkFolders = new Set<string>();
  const seen = new Set<string>();
  const visit = (found: ResolvedPackage, from: "staging" | "package") => {
    // How Node reaches it. From the app, through the staging folder's own links (nothing of the workspace's
    // node_modules, whose links lead to the grader and the solutions). From a third-party package, through its
    // pnpm folder of links, all to third-party packages: granted whole, since Node's permission model denies a
    // path that is granted exactly when a longer one shares its start (…/cookie beside …/cookie-signature).
    if (from === "package" && found.lookupPath !== found.realDir) {
      const folder = dirname(found.lookupPath);
      if (isThirdParty(folder)) linkFolders.add(folder);
      else readable.add(found.lookupPath);
    }
    if (seen.has(found.realDir)) return;
    seen.add(found.realDir);
    for (const path of found.readable) readable.add(path);
    for (const name of dependencyNames(found.realDir)) {
      const next = tryResolvePackage(name, found.realDir);
      if (next) visit(next, "package");
    }
  };
  for (const found of direct) visit(found, "staging");
  const hoisted = new Map<string, AppPackage>();
  const hoist = (found: AppPackage) => {
    for (const name of dependencyNames(found.realDir)) {
      const next = tryResolvePackage(name, found.realDir);
      if (!next || hoisted.has(name) || direct.some((dependency) => dependency.name === name)) continue;
      hoisted.set(name, next);
      if (!isThirdParty(next.realDir)) hoist(next);
    }
  };
  for (const found of direct) if (!isThirdParty(found.realDir)) hoist(found);
  const packages: AppPackages = {
    direct,
    hoisted: [...hoisted.values()],
    readable: [...readable, ...linkFolders].sort(),
    linkFolders: [...linkFolders].sort(),
  };
  cache.set(packageDir, packages);
  return packages;
}

interface ResolvedPackage extends AppPackage {
  /** The path Node's resolver finds it at (a link, with pnpm), before it follows the link. */
  readonly lookupPath: string;
}

function dependencyNames(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  return [
    ...new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]),
  ].sort();
}

function resolvePackage(name: string, fromDir: string): ResolvedPackage {
  const found = tryResolvePackage(name, fromDir);
  if (!found) throw new Error(`Cannot find the package ${name} from ${fromDir}: run pnpm install.`);
  return found;
}

/** Node's node_modules lookup (the folder, not an entry file): from `fromDir` up to the root. */
function tryResolvePackage(name: string, fromDir: string): ResolvedPackage | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const lookupPath = join(dir, "node_modules", name);
    if (existsSync(join(lookupPath, "package.json"))) {
      const realDir = realpathSync(lookupPath);
      return { name, realDir, lookupPath, readable: readableParts(realDir) };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** A third-party package is read whole; one of the course's own packages only as published (package.json, dist). */
function readableParts(realDir: string): string[] {
  return isThirdParty(realDir) ? [realDir] : [join(realDir, "package.json"), join(realDir, "dist")];
}

/** Whether a path is in pnpm's store of installed packages, rather than one of the workspace's own folders. */
export function isThirdParty(path: string): boolean {
  return path.split(sep).includes(".pnpm");
}
