/**
 * Where the committed results of each mode live. A module of its own, with no code imports, so
 * that `deno task reproduce --help` names the records folder from this one home without loading
 * the library (scripts/reproduce_options.ts); `verify.ts` re-exports it.
 *
 * @example
 * ```ts
 * import { RECORDS_DIR } from "./records_dir.ts";
 * RECORDS_DIR.full; // "results-of-record/full"
 * ```
 */
import type { ExperimentMode } from "./plan_types.ts";

/** Where the committed results of each mode live, relative to the project root. */
export const RECORDS_DIR: Readonly<Record<ExperimentMode, string>> = Object.freeze({
  full: "results-of-record/full",
  quick: "results-of-record/quick",
});
