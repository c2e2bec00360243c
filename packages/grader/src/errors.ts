/**
 * Why a command stopped before doing its work, told to the person who typed it: one line, no stack, exit 2. Each
 * cause is a class of its own, so a CLI tells them apart by type, never by an error's name or its message's words.
 */
export abstract class CommandError extends Error {}

/** A mistake by the person at the keyboard (an unknown exercise, a bad flag, a missing folder). */
export class UsageError extends CommandError {
  override name = "UsageError";
}
