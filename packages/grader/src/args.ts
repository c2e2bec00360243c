import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export { UsageError } from "./errors.js";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * The command as the person typed it, for messages: `pnpm test` when pnpm ran a root script (pnpm names it in
 * `npm_lifecycle_event`), else the binary and its subcommand, `cookie-grader test`.
 */
export function commandLabel(binary: string, subcommand: string): string {
  const script = process.env.npm_lifecycle_event;
  return script ? `pnpm ${script}` : `${binary} ${subcommand}`.trim();
}

export interface CommandSpec<Options extends ParseArgsOptionsConfig> {
  /** Short usage, printed by `--help`: the first line names the command as typed, the rest list its options. */
  readonly usage: string;
  readonly options: Options;
  /** How many positional arguments it takes at most (none unless said). */
  readonly maxPositionals?: number;
}

const HELP = { help: { type: "boolean", short: "h" } } as const;

type Parsed<Options extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: Options & typeof HELP; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's arguments with `parseArgs` in strict mode, and turns what it rejects into one sentence a
 * person can act on (`unknown option --jsno. Did you mean --json?`), thrown as a UsageError (exit 2). `--help` (or
 * `-h`) prints the usage and returns undefined: the command then ends with exit 0.
 */
export function parseCommandArgs<Options extends ParseArgsOptionsConfig>(
  args: readonly string[],
  spec: CommandSpec<Options>,
): Parsed<Options> | undefined {
  const options = { ...spec.options, ...HELP };
  // `pnpm test -- --help`: pnpm passes its own separator on (and `pnpm test --help` is pnpm's help, not ours).
  const given = args[0] === "--" ? args.slice(1) : [...args];
  let parsed: Parsed<Options>;
  try {
    parsed = parseArgs({ args: given, options, allowPositionals: true, strict: true }) as Parsed<Options>;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new UsageError(explainRejection(given, options));
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(spec.usage);
    return undefined;
  }
  const allowed = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > allowed) {
    const extra = parsed.positionals.slice(allowed).join(" ");
    throw new UsageError(allowed === 0 ? `takes no arguments, not "${extra}".` : `too many arguments: "${extra}".`);
  }
  return parsed;
}

function isParseArgsError(error: unknown): boolean {
  return String((error as { code?: unknown } | undefined)?.code).startsWith("ERR_PARSE_ARGS");
}

/**
 * Why strict parsing failed, found from the tokens of a lenient parse (not from Node's message text, which is
 * worded for a programmer and may change).
 */
function explainRejection(args: readonly string[], options: ParseArgsOptionsConfig): string {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const known = options[token.name];
    if (!known) {
      const suggestion = closest(token.name, Object.keys(options));
      return `unknown option ${token.rawName}.${suggestion ? ` Did you mean --${suggestion}?` : ` ${askForHelp()} lists the options.`}`;
    }
    if (known.type === "string" && token.value === undefined) return `${token.rawName} needs a value.`;
    if (known.type === "boolean" && token.value !== undefined) return `${token.rawName} takes no value.`;
  }
  return `cannot read the arguments "${args.join(" ")}". ${askForHelp()} lists the options.`;
}

/**
 * How to ask this command for its usage: `--help`, except after `pnpm test`, whose `--help` pnpm answers itself
 * with its own help, so the learner must type `pnpm run test --help`.
 */
function askForHelp(): string {
  return process.env.npm_lifecycle_event === "test" ? "pnpm run test --help" : "--help";
}

/** The known name nearest to a typo, when it is near enough to be what was meant. */
function closest(typed: string, names: readonly string[]): string | undefined {
  const ranked = names
    .map((name) => ({ name, distance: editDistance(typed, name) }))
    .sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours (`yse`, `yes`). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
