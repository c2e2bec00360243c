/**
 * A module resolution hook (node:module `register`), active only while a CLI runs from src/ through tsx: it adds the
 * course's source condition, so that `@cookie-course/grader/args` resolves to the grader's src/args.ts, never to a
 * build that is missing or older than its source.
 */
import { SOURCE_CONDITION } from "./run-freshest.js";

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [SOURCE_CONDITION, ...context.conditions] });
}
