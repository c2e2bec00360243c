/** Build output and caches in an app folder: never part of a starter, never compared, never backed up. */
export const IGNORED = ["**/node_modules/**", "**/dist/**", "**/reports/**", "**/coverage/**", "**/.turbo/**"];

/** Pristine starters shipped with the learner edition, which has no solutions to generate them from (`pnpm reset`). */
export const STARTER_SNAPSHOTS = "starters";
