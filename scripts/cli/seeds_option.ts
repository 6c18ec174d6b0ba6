/**
 * `--seeds a,b,...`, a list of seeds, read and refused one way on every command line that takes one
 * (`deno task reproduce`, and through it the cluster routes; bench/cl4srec_diagnosis.ts and
 * bench/demure_training_pass_validation.ts). Each kept its own copy until session 54: the benches
 * said "--seeds: 0 given twice" and "--seeds -1: must be an integer in 0..2147483647", reproduce
 * "--seeds 5,5: 5 given twice; allowed: ...". Every refusal now names the flag, the value, what is
 * wrong and the allowed range. The range is the library's (`SEED_RANGE`); this module imports no
 * package, so that reproduce answers before the library loads (scripts/folder_graph.ts
 * `DIRECT_LIB_IMPORTS`).
 *
 * @example
 * ```ts
 * seedsOption("0,1,2"); // [0, 1, 2]
 * seedsOption("5,5"); // UsageError "--seeds 5,5: 5 given twice; allowed: distinct integers in 0..2^31-1, comma-separated"
 * ```
 */
import { SEED_RANGE } from "../../lib/util/settings.ts";
import { UsageError } from "./options.ts";

/** The smallest and largest seed (the library's `SEED_RANGE`: 0..2^31-1). */
const MIN_SEED = SEED_RANGE.min!;
const MAX_SEED = SEED_RANGE.max!;

/**
 * The seeds `--seeds` takes, as the usages and every refusal say it: the library's range of a seed,
 * each seed once.
 */
export const SEEDS_ALLOWED = `distinct integers in ${MIN_SEED}..2^${
  Math.log2(MAX_SEED + 1)
}-1, comma-separated`;

/**
 * The seeds of `--<option> <text>` (comma-separated decimal integers in the library's range, none
 * given twice), in order, or a {@linkcode UsageError} reading `--seeds <text>: <what is wrong>;
 * allowed: <SEEDS_ALLOWED>`. An empty entry (`0,,1`) is refused, not read as seed 0 (as `Number("")`
 * would), and so is an integer too large to hold exactly (it is outside the range).
 */
export function seedsOption(text: string, option = "seeds"): number[] {
  const refusal = (why: string) =>
    new UsageError(`--${option} ${text}: ${why}; allowed: ${SEEDS_ALLOWED}`);
  const seeds = text.split(",").map((entry) => {
    // Digits alone, a minus allowed so that "-1" is said to be outside the range, not "not an
    // integer": "0x10", "1e3", " 5" and "" are refused, which `Number` would read.
    if (!/^-?[0-9]+$/.test(entry)) throw refusal(`${JSON.stringify(entry)} is not an integer`);
    const seed = Number(entry);
    if (!(seed >= MIN_SEED && seed <= MAX_SEED)) {
      throw refusal(`${entry} is outside ${MIN_SEED}..${MAX_SEED}`);
    }
    return seed;
  });
  const twice = seeds.find((seed, index) => seeds.indexOf(seed) < index);
  if (twice !== undefined) throw refusal(`${twice} given twice`);
  return seeds;
}
