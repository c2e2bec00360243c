import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Bundles the app process's program (host-main) with its one dependency into a single file, once per grading run:
 * the confined process then reads that file and the app's own, and nothing of the grader.
 */
export async function writeHostBundle(outfile: string): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  // From src/ under tsx or vitest, from dist/ when compiled.
  const entry = join(dirname(here), here.endsWith(".ts") ? "host-main.ts" : "host-main.js");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
    // fake-timers is CommonJS and requires Node's built-ins: an ES module has no require of its own.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  });
}
