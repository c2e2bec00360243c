/** Build output and caches in an app folder: never part of a starter, never compared, never backed up. */
export const IGNORED = [
  "**/node_modules/**",
  "**/dist/**",
  "**/reports/**",
  "**/coverage/**",
  "**/.turbo/**",
  // pnpm's temporary files (`_tmp_<pid>_<hex>`), written beside a package while pnpm works in it, then renamed away:
  // a pnpm command running at the same moment is no change to the exercise.
  "**/_tmp_*",
];

/** Pristine starters shipped with the learner edition, which has no solutions to generate them from (`pnpm reset`). */
export const STARTER_SNAPSHOTS = "starters";
