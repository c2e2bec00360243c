import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listFiles } from "./edition.js";

/**
 * What a release wrote, kept in the edition as `course-edition.json`: how far it goes, and the SHA-256 of every
 * file it wrote outside exercises/. An update compares a file with its record to tell the course's file, untouched,
 * from one the learner changed.
 */
export interface EditionRecord {
  readonly through: string;
  readonly files: Readonly<Record<string, string>>;
}

export const RECORD_FILE = "course-edition.json";
export const LOCKFILE = "pnpm-lock.yaml";

/** Paths that are the learner's: their work, their progress. An update never writes, replaces or removes them. */
function isLearners(path: string): boolean {
  return path.startsWith("exercises/") || path.startsWith(".course/");
}

export function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export function readRecord(edition: string): EditionRecord | undefined {
  const file = join(edition, RECORD_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as EditionRecord;
}

/** Records every file of the edition outside the learner's paths, as it is now (just written by a release). */
export function writeRecord(edition: string, through: string, hashes: Readonly<Record<string, string>>): void {
  const record: EditionRecord = { through, files: hashes };
  writeFileSync(join(edition, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The hashes of an edition's files that a release owns (not the learner's, not the record itself). */
export function hashesOf(dir: string, files: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    files.filter((file) => !isLearners(file) && file !== RECORD_FILE).map((file) => [file, sha256(join(dir, file))]),
  );
}

export interface UpdateOutcome {
  /** Exercise folders (and other files) the edition did not have. */
  readonly added: string[];
  /** The course's files, untouched by the learner, brought up to date. */
  readonly updated: string[];
  /** Files the learner changed: kept as they are, though the course's version differs. */
  readonly kept: string[];
  /** Files an earlier release wrote, untouched since, that the course no longer has. */
  readonly removed: string[];
}

/**
 * Brings `edition` to the freshly written edition `fresh`. A new exercise is added whole; an exercise folder that
 * exists is the learner's and is never touched, nor is .course/. Any other file is replaced only when the learner
 * has not changed it since the last release wrote it (its hash is the recorded one); a changed one is kept.
 */
export function applyUpdate(fresh: string, edition: string, record: EditionRecord): UpdateOutcome {
  const outcome: UpdateOutcome = { added: [], updated: [], kept: [], removed: [] };
  const freshFiles = listFiles(fresh);
  const copy = (file: string) => {
    mkdirSync(dirname(join(edition, file)), { recursive: true });
    copyFileSync(join(fresh, file), join(edition, file));
  };
  const newExercises = new Set(
    freshFiles
      .filter((file) => file.startsWith("exercises/"))
      .map((file) => file.split("/")[1]!)
      .filter((slug) => !existsSync(join(edition, "exercises", slug))),
  );
  for (const file of freshFiles) {
    if (file === RECORD_FILE) continue;
    const mine = join(edition, file);
    if (isLearners(file)) {
      if (file.startsWith("exercises/") && newExercises.has(file.split("/")[1]!)) {
        copy(file);
        outcome.added.push(file);
      }
    } else if (!existsSync(mine)) {
      copy(file);
      outcome.added.push(file);
    } else if (sha256(mine) === sha256(join(fresh, file))) {
      continue;
    } else if (sha256(mine) === record.files[file]) {
      copy(file);
      outcome.updated.push(file);
    } else {
      outcome.kept.push(file);
    }
  }
  const stillShipped = new Set(freshFiles);
  for (const [file, hash] of Object.entries(record.files)) {
    const mine = join(edition, file);
    if (stillShipped.has(file) || isLearners(file) || !existsSync(mine) || sha256(mine) !== hash) continue;
    rmSync(mine);
    outcome.removed.push(file);
  }
  return outcome;
}
