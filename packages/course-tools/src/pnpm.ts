/**
 * The pnpm that runs this script, as a command and its leading arguments: its own binary, or its JS entry run with
 * this Node. Outside pnpm, plain `pnpm` from the PATH.
 */
export function pnpmCommand(...args: string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (!execPath) return ["pnpm", args];
  return /\.c?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
}
