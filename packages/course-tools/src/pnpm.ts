import { basename } from "node:path";

/**
 * The pnpm that runs this script, as a command and its leading arguments: its own binary, or its JS entry run with
 * this Node. Run by something else (npx, npm, a bare node), plain `pnpm` from the PATH: npm_execpath then names
 * that other tool.
 */
export function pnpmCommand(...args: string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (!execPath || !/pnpm/i.test(basename(execPath))) return ["pnpm", args];
  return /\.c?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
}
