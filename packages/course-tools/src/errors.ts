/** A mistake by the person at the keyboard (an unknown exercise, a bad flag): shown as a message, never a stack. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A mistake in a solution's markers or its starter.md: the message names the file and line to fix. */
export class StarterError extends Error {
  override name = "StarterError";
}
