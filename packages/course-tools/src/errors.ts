import { CommandError } from "@cookie-course/grader/errors";

// One UsageError class for both packages: `course` tells a person's mistake from a bug by its type.
export { CommandError, UsageError } from "@cookie-course/grader/errors";

/** A mistake in a solution's markers or its starter.md: the message names the file and line to fix (exit 2). */
export class StarterError extends CommandError {
  override name = "StarterError";
}
