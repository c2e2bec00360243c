import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, sep } from "node:path";

/** Which layers of confinement an app process runs under: recorded in every report's environment. */
export interface ConfinementLayers {
  /** Node's permission model: reads only the app's own files and packages; no writes, processes, workers, addons. */
  readonly permissionModel: boolean;
  /** bubblewrap (Linux): new PID, network, IPC and user namespaces, and a read-only view of only what the app needs. */
  readonly bubblewrap: boolean;
  /** Why bubblewrap is not used, when it is not: "not installed", "cannot create namespaces here: …". */
  readonly bubblewrapNote?: string;
  /**
   * The cap on the app process's memory, in MB: V8's heap; on Linux, the whole process's resident size plus the
   * data its TCP and UDP sockets hold in the kernel's buffers (which no resident size shows), read from /proc.
   */
  readonly memoryLimitMb: number;
  /**
   * The most files and sockets the app process may hold open at once (RLIMIT_NOFILE, soft and hard, on Linux). It
   * bounds what /proc cannot measure: the kernel's buffers of Unix sockets, about 200 kB each at most.
   */
  readonly openFilesLimit?: number;
}

/**
 * Files and sockets an app process may hold open (Linux): Node needs a few dozen; a course app a handful more. Each
 * connected Unix socket can hold about 200 kB of unread data in the kernel, where no resident size shows it, so this
 * keeps that under about 50 MB.
 */
export const OPEN_FILES_LIMIT = 256;

/** What an app process needs: its own folder, the host program, and the packages it may read. */
export interface ConfinedProgram {
  /** The staging folder: the app's files, read-only. */
  readonly root: string;
  /** A folder of its own, named at random, where it listens: the one place it may create a file (its socket). */
  readonly socketDir: string;
  readonly hostBundle: string;
  readonly readable: readonly string[];
  /** Folders of links that dependencies resolve through: visible to the app (links to unbound places go nowhere). */
  readonly linkFolders: readonly string[];
  readonly secrets: AppSecrets;
  /** The app's time zone (its TZ): a real zone other than UTC, so that a time written without its zone shows. */
  readonly timeZone: string;
}

/**
 * What an app is given as a server is in production, through its environment: a secret to sign cookies with
 * (`COOKIE_SECRET`), drawn anew for each app, so that the checks can sign and verify as the app does and a secret
 * written into the code shows.
 */
export interface AppSecrets {
  readonly cookieSecret: string;
}

export interface SpawnPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** The permission model's flag on this Node: `--permission` since 22.13, experimental before. */
function permissionFlag(): string | undefined {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 13)) return "--permission";
  if (major >= 20) return "--experimental-permission";
  return undefined;
}

let bubblewrapProbe: { usable: boolean; note?: string } | undefined;

/**
 * Whether bubblewrap can confine a process here: installed, and allowed to create namespaces (AppArmor on Ubuntu
 * 24.04+ and Docker's default seccomp profile forbid it). Probed once per grading process.
 */
export function probeBubblewrap(): { usable: boolean; note?: string } {
  if (bubblewrapProbe) return bubblewrapProbe;
  if (process.platform !== "linux") bubblewrapProbe = { usable: false, note: `not available on ${process.platform}` };
  else {
    const args = [...systemBinds(), "--unshare-all", "--die-with-parent", "true"];
    const probe = spawnSync("bwrap", args, { encoding: "utf8", timeout: 30_000 });
    const error = probe.error as NodeJS.ErrnoException | undefined;
    bubblewrapProbe =
      error?.code === "ENOENT"
        ? { usable: false, note: "bwrap is not installed (apt-get install bubblewrap)" }
        : probe.status === 0
          ? { usable: true }
          : {
              usable: false,
              note: `bwrap cannot create namespaces here: ${(probe.stderr || String(error ?? "")).trim().split("\n")[0]}`,
            };
  }
  return bubblewrapProbe;
}

/** The layers this machine gives, with or without bubblewrap as asked. */
export function confinementLayers({
  bubblewrap,
  memoryLimitMb,
}: {
  bubblewrap: boolean;
  memoryLimitMb: number;
}): ConfinementLayers {
  const probe = bubblewrap ? probeBubblewrap() : { usable: false, note: "turned off for this run" };
  return {
    permissionModel: permissionFlag() !== undefined,
    bubblewrap: probe.usable,
    ...(probe.note === undefined ? {} : { bubblewrapNote: probe.note }),
    memoryLimitMb,
    ...(process.platform === "linux" ? { openFilesLimit: OPEN_FILES_LIMIT } : {}),
  };
}

/** How to start an app process under these layers. */
export function spawnPlan(layers: ConfinementLayers, program: ConfinedProgram): SpawnPlan {
  const permission = permissionFlag();
  const readable = [program.root, program.hostBundle, ...program.readable];
  const node = [
    ...(permission ? [permission, ...readable.map((path) => `--allow-fs-read=${path}`)] : []),
    // Node 25+ also confines the network; the app must listen. bubblewrap's network namespace keeps it off the net.
    ...(permission && process.allowedNodeEnvironmentFlags.has("--allow-net") ? ["--allow-net"] : []),
    // On Linux the whole process's memory is watched from outside: V8's own cap sits above it, so that a heap that
    // grows is ended as "memory" rather than thrashing in garbage collection first. Elsewhere, V8's cap is the limit.
    `--max-old-space-size=${process.platform === "linux" ? layers.memoryLimitMb + 128 : layers.memoryLimitMb}`,
    "--enable-source-maps",
    // The permission model's ExperimentalWarning on Node 20 is no concern of the learner's.
    "--no-warnings",
    program.hostBundle,
    program.socketDir,
  ];
  const env = {
    NODE_ENV: "development",
    COOKIE_SECRET: program.secrets.cookieSecret,
    TZ: program.timeZone,
    ...(process.platform === "win32" ? { SystemRoot: process.env.SystemRoot } : {}),
  };
  if (!layers.bubblewrap) return withOpenFilesLimit(layers, { file: process.execPath, args: node, env });

  const binds = bubblewrapBinds([...program.linkFolders, ...readable]);
  return withOpenFilesLimit(layers, {
    file: "bwrap",
    args: [
      ...systemBinds(),
      ...nodeBinds(),
      ...binds.flatMap((path) => ["--ro-bind-try", path, path]),
      // The one place the app may create a file: its listening socket.
      "--bind",
      program.socketDir,
      program.socketDir,
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--chdir",
      program.root,
      "--clearenv",
      "--setenv",
      "NODE_ENV",
      "development",
      "--setenv",
      "COOKIE_SECRET",
      program.secrets.cookieSecret,
      "--setenv",
      "TZ",
      program.timeZone,
      // The control channel, file descriptor 3 (the spawn's fourth stdio entry), passes through bwrap as it is.
      realpathSync(process.execPath),
      ...node,
    ],
    env,
  });
}

/**
 * The plan, started under the layers' RLIMIT_NOFILE: a shell sets it, soft and hard (Node raises its soft limit to
 * the hard one at start; the app cannot raise the hard one), then becomes the program, keeping its pid.
 */
function withOpenFilesLimit(layers: ConfinementLayers, plan: SpawnPlan): SpawnPlan {
  if (layers.openFilesLimit === undefined) return plan;
  return {
    ...plan,
    file: "/bin/sh",
    args: ["-c", `ulimit -n ${layers.openFilesLimit} && exec "$@"`, "sh", plan.file, ...plan.args],
  };
}

/** What any process needs to start: the system's libraries, read-only, and a private /dev and /proc. */
function systemBinds(): string[] {
  return [
    ...["/usr", "/lib", "/lib64", "/lib32", "/bin", "/etc/ld.so.cache"].flatMap((path) => [
      "--ro-bind-try",
      path,
      path,
    ]),
    "--dev",
    "/dev",
    "--proc",
    "/proc",
  ];
}

/** This Node's own folder, when it is not among the system's (installed by nvm, or from the npm registry). */
function nodeBinds(): string[] {
  const folder = dirname(realpathSync(process.execPath));
  return folder.startsWith("/usr/") ? [] : ["--ro-bind", folder, folder];
}

/**
 * What bubblewrap shows the app, read-only: pnpm's store of third-party packages whole (one mount, where a mount per
 * package cost a quarter of a class's grading time; it holds only published packages, and its links to the
 * workspace's own folders lead nowhere in the sandbox), and every other path as it is. Parents before children.
 */
function bubblewrapBinds(paths: readonly string[]): string[] {
  const store = (path: string) => {
    const parts = path.split(sep);
    const at = parts.indexOf(".pnpm");
    return at === -1 ? path : parts.slice(0, at + 1).join(sep);
  };
  return [...new Set(paths.map(store))].sort((a, b) => a.length - b.length);
}
