import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfinementLayers } from "../sandbox/confinement.js";

/** What a grade depended on besides the submission: enough to tell whether two grades are comparable. */
export interface EnvironmentFingerprint {
  node: string;
  platform: string;
  arch: string;
  /** From the user agent pnpm passes to scripts; null when the grader did not run under pnpm. */
  pnpm: string | null;
  /** The workspace's pnpm-lock.yaml, hashed as bytes; null when there is none. */
  lockfileSha256: string | null;
  grader: { name: string; version: string };
  /** How the graded apps were confined (absent in reports of older graders). */
  confinement?: ConfinementLayers;
}

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};

/** The fingerprint of this process and the workspace at `workspaceRoot`: one file read and one hash. */
export function environmentFingerprint(workspaceRoot: string, confinement?: ConfinementLayers): EnvironmentFingerprint {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    pnpm: pnpmVersion(process.env.npm_config_user_agent),
    lockfileSha256: lockfileHash(join(workspaceRoot, "pnpm-lock.yaml")),
    grader: { name: manifest.name, version: manifest.version },
    ...(confinement ? { confinement } : {}),
  };
}

/** `pnpm/12.4.2 npm/? node/v20.20.2 linux x64` → `12.4.2`. */
function pnpmVersion(userAgent: string | undefined): string | null {
  return /(?:^|\s)pnpm\/(\d+\.\d+\.\d+\S*)/.exec(userAgent ?? "")?.[1] ?? null;
}

function lockfileHash(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return createHash("sha256").update(bytes).digest("hex");
}
