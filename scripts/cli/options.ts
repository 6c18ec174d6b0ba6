/**
 * The command lines of the workspace's scripts, read one way: node:util's `parseArgs`, strict, with
 * what it lets through refused here. Every script says a bad option in one line, `<script>: <what
 * is wrong>; see --help`, and exits with status 2, before it reads or writes anything.
 *
 * What `parseArgs` alone would let through, and why each is refused:
 * - an option given twice: it keeps the last, so `--results a --results b` would silently run
 *   into b;
 * - an empty value (`--out=`): every option names a path, a number or a list, none of them empty;
 * - a number in another notation: `Number` reads "0x10" as 16, "1e3" as 1000 and "" as 0.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/**
 * A failure the user can act on (a tool missing, a submission refused): printed as one line
 * without a stack, since it is not a bug; the script exits with status 1.
 */
export class ScriptFailure extends Error {}

/** A mistake in the command line: one line ending in "see --help"; the script exits with 2. */
export class UsageError extends ScriptFailure {}

/** The values `parseArgs` gives for `T` (strings and booleans, as configured). */
export type ParsedValues<T extends ParseArgsOptionsConfig> = {
  [K in keyof T]: T[K] extends { type: "boolean" } ? boolean
    : T[K] extends { multiple: true } ? string[] | undefined
    : T[K] extends { default: string } ? string
    : string | undefined;
};

/**
 * `args` read against `options`; an unknown or malformed option, one given twice (unless it is
 * declared `multiple`), an empty value, or an argument that is not an option (unless
 * `allowPositionals`) is a {@linkcode UsageError} naming it. An unknown option's message also
 * lists the options there are, but for those named in `hidden` (set by a script on its own
 * subprocesses, not for users). With `passOn` (the command the words after `--` go to, e.g.
 * "reproduce"), the positionals are those words, and a word before `--` is refused by name.
 */
export function parseOptions<T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
  { allowPositionals = false, hidden = [], passOn }: {
    allowPositionals?: boolean;
    hidden?: readonly (keyof T & string)[];
    passOn?: string;
  } = {},
): { values: ParsedValues<T>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, tokens: true });
  } catch (error) {
    // node:util's message: "Unknown option '--x'. To specify ..."; its first sentence names it.
    const text = (error as Error).message;
    // "Option '--seeds' argument is ambiguous": a value that starts with a dash (-1).
    const hint = text.includes("ambiguous")
      ? " (a value starting with a dash: --name=-1)"
      // A typo named alone left the user to open --help for the spelling they meant.
      : (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      ? ` (options: ${optionNames(options, hidden)})`
      : "";
    throw new UsageError(`${text.split(/\.(?:\s|$)/)[0]}${hint}`);
  }
  const counts = new Map<string, number>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (token.value === "") throw new UsageError(`--${token.name}: an empty value`);
    counts.set(token.name, (counts.get(token.name) ?? 0) + 1);
  }
  for (const [name, count] of counts) {
    if (count > 1 && !options[name]?.multiple) {
      throw new UsageError(
        `--${name} given ${count === 2 ? "twice" : `${count} times`}: give it once`,
      );
    }
  }
  if (passOn !== undefined) {
    // A stray word before `--` (`slurm oops -- --quick`) was passed on with the flags after it,
    // so the command it went to refused it, and the failure read as that command's (status 1).
    const end = parsed.tokens.find((token) => token.kind === "option-terminator")?.index ??
      args.length;
    const stray = parsed.tokens.find((token) => token.kind === "positional" && token.index < end);
    if (stray?.kind === "positional") {
      throw new UsageError(
        `unexpected argument "${stray.value}" (the command takes options; words for ${passOn} ` +
          "go after --)",
      );
    }
  } else if (!allowPositionals && parsed.positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[0]}" (the script takes options only)`,
    );
  }
  return { values: parsed.values as unknown as ParsedValues<T>, positionals: parsed.positionals };
}

/** The options of `options` as typed, `--name` (`/-s` where it has a short form). */
function optionNames(options: ParseArgsOptionsConfig, hidden: readonly string[]): string {
  return Object.entries(options)
    .filter(([name]) => !hidden.includes(name))
    .map(([name, { short }]) => short ? `--${name}/-${short}` : `--${name}`)
    .join(", ");
}

/**
 * `text` as a decimal integer, else NaN: digits only (with a leading minus when `negative`), no
 * white space, and at most `Number.MAX_SAFE_INTEGER` in size. The one reading of an integer on
 * every command line: `Number` alone reads "0x10" as 16, "1e3" as 1000, "2.0" as 2, " 5 " as 5 and
 * "" as 0, and rounds "99999999999999999999" to 1e20, a value nobody typed.
 *
 * @example
 * ```ts
 * decimalInteger("42"); // 42; "0x2", " 5", "1e1", "-1" -> NaN
 * decimalInteger("-1", { negative: true }); // -1
 * ```
 */
export function decimalInteger(text: string, { negative = false } = {}): number {
  const value = (negative ? /^-?[0-9]+$/ : /^[0-9]+$/).test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) ? value : NaN;
}

/**
 * The value of `--<option>` as a decimal integer in `min`..`max` ({@linkcode decimalInteger}), or
 * a {@linkcode UsageError} naming it and the range (hex, exponents, signs, fractions, white space
 * and integers too large to hold exactly included).
 */
export function integerOption(option: string, text: string, min: number, max: number): number {
  const value = decimalInteger(text, { negative: min < 0 });
  if (Number.isNaN(value) || value < min || value > max) {
    throw new UsageError(`--${option} ${text}: must be an integer in ${min}..${max}`);
  }
  return value;
}

/**
 * The value of `--<option>` if it is one of `allowed`, or a {@linkcode UsageError} naming them.
 *
 * @example
 * ```ts
 * choiceOption("workload", "beauty", ["movielens", "beauty"]); // "beauty"
 * ```
 */
export function choiceOption<T extends string>(
  option: string,
  text: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`--${option} ${text}: must be one of ${allowed.join(", ")}`);
  }
  return text as T;
}

/**
 * The comma-separated entries of `--<option>`, each one of `allowed` and none given twice, or a
 * {@linkcode UsageError} naming the entry (an empty one, as in `a,,b`, included).
 *
 * @example
 * ```ts
 * listOption("datasets", "Synthetic,MovieLens", ["Synthetic", "MovieLens"]); // both, in order
 * ```
 */
export function listOption<T extends string>(
  option: string,
  text: string,
  allowed: readonly T[],
): T[] {
  const entries = text.split(",");
  entries.forEach((entry, i) => {
    if (!(allowed as readonly string[]).includes(entry)) {
      throw new UsageError(`--${option}: "${entry}" is not one of ${allowed.join(", ")}`);
    }
    if (entries.indexOf(entry) < i) throw new UsageError(`--${option}: "${entry}" given twice`);
  });
  return entries as T[];
}

/**
 * The value of `--<option>` as a decimal number (`0.3`, `1`, `.5`) at least `min` (or above
 * `above`) and at most `max`, or a {@linkcode UsageError} naming it and the range (hex, exponents
 * and the empty text included, which `Number` would read).
 *
 * @example
 * ```ts
 * numberOption("smoothing", "0.3", { above: 0, max: 1 }); // 0.3; "0" -> "must be a number in (0, 1]"
 * ```
 */
export function numberOption(
  option: string,
  text: string,
  range: { min: number; max: number } | { above: number; max: number },
): number {
  const value = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(text) ? Number(text) : NaN;
  const low = "above" in range ? value > range.above : value >= range.min;
  if (!(low && value <= range.max)) {
    const interval = "above" in range
      ? `(${range.above}, ${range.max}]`
      : `[${range.min}, ${range.max}]`;
    throw new UsageError(`--${option} ${text}: must be a number in ${interval}`);
  }
  return value;
}

/**
 * Runs a script's `main` and exits with its status. A {@linkcode UsageError} is printed as
 * `<script>: <message>; see --help` (status 2), a {@linkcode ScriptFailure} as
 * `<script>: <message>` (status 1); any other error keeps its stack (a bug).
 */
export async function runScript(
  script: string,
  main: () => number | void | Promise<number | void>,
): Promise<never> {
  let status: number;
  try {
    status = (await main()) ?? 0;
  } catch (error) {
    if (!(error instanceof ScriptFailure)) throw error;
    const usage = error instanceof UsageError;
    console.error(`${script}: ${error.message}${usage ? "; see --help" : ""}`);
    status = usage ? 2 : 1;
  }
  Deno.exit(status);
}
