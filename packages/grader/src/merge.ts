import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "./errors.js";
import { studentOf, type GradeReport } from "./formats/grade-report.js";
import { GradeReportError, readGradeReport } from "./report.js";

/** What `grade --submissions … --out DIR` writes beside the reports: the mark of a shard's folder. */
const SHARD_MARK = "gradebook.csv";

/**
 * The per-student reports of the shards `grade --submissions --shard I/N --out DIR` wrote, for one gradebook. A
 * folder that is not such a shard, a report that does not read as one, or a student found in two shards is a
 * mistake in the merge, told in a sentence (exit 2): a gradebook with a row twice, or a row missing, would be wrong
 * in silence.
 */
export function readShards(dirs: readonly string[]): GradeReport[] {
  if (dirs.length === 0) throw new UsageError("--merge needs the shard folders to merge.");
  const seen = new Map<string, string>();
  const reports: GradeReport[] = [];
  for (const dir of dirs) {
    const folder = resolve(dir);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`No folder at ${folder}.`);
    if (!existsSync(join(folder, SHARD_MARK))) {
      throw new UsageError(
        `${folder} is not a shard: it has no ${SHARD_MARK}. Give the --out folders of pnpm grade --submissions … --shard I/N.`,
      );
    }
    for (const name of readdirSync(folder)
      .filter((file) => file.endsWith(".json"))
      .sort()) {
      const report = readReport(join(folder, name));
      const student = studentOf(report);
      const other = seen.get(student);
      if (other !== undefined)
        throw new UsageError(
          `${student} is in two shards, ${other} and ${folder}: grade each student in one shard only.`,
        );
      seen.set(student, folder);
      reports.push(report);
    }
  }
  return reports;
}

/** A shard's report, or what is wrong with it and what to do: grade that shard again. */
function readReport(file: string): GradeReport {
  try {
    return readGradeReport(file);
  } catch (error) {
    if (error instanceof GradeReportError) throw error.withAdvice("Grade that shard again.");
    throw error;
  }
}
