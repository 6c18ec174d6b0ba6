/**
 * `--name=value` options of the benchmark scripts: one parser instead of a copy in each script.
 *
 * @example
 * ```ts
 * const budget = Number(arg("budget", "5")); // `--budget=7` -> "7"; absent -> "5"
 * ```
 */
export function arg(name: string, fallback: string): string {
  return Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}
