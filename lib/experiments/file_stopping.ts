/**
 * An imported dataset's stopping in each mode, unless the caller gives its own
 * (`PlanOptions.datasetTraining`, `deno task reproduce --max-epochs / --patience`): the full plan's
 * stopping, which every dataset of that plan has, and the quick plan's. A module of its own, with
 * no imports, so that `deno task reproduce --help` states these numbers from this one home without
 * loading the library (scripts/reproduce_options.ts).
 *
 * @example
 * ```ts
 * import { FILE_STOPPING } from "./file_stopping.ts";
 * FILE_STOPPING.full; // { maxEpochs: 200, patience: 10 }
 * ```
 */

/** Per mode: the epoch cap and the validations without a gain before early stopping. */
export const FILE_STOPPING = Object.freeze({
  full: Object.freeze({ maxEpochs: 200, patience: 10 }),
  quick: Object.freeze({ maxEpochs: 3, patience: 3 }),
});
