/**
 * Finished runs whose protocol cards read as the records of record do (the older split wording:
 * no "source:" line, a k-core line without counts; a loss line naming L_rec alone), for tests of
 * captions that state a protocol.
 */
import type { EvaluationProtocol } from "../../lib/eval/protocol.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import type { CaptionProtocol } from "../../lib/experiments/protocol_caption.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { storedCellResult } from "./_cell_result.ts";

/** The leave-one-out line every card holds. */
export const LEAVE_ONE_OUT_LINE =
  "leave-one-out by time: last item test, second-to-last validation, rest training";

/** L_rec as every card of record names it. */
export const RECORD_LOSS = "cross-entropy over all items, all positions";

/** A card in the records' wording, for `system` at `seed` (no loss for Pop and ItemKNN). */
export function recordCard(system: string, seed: number, items = 3496): EvaluationProtocol {
  const trained = system !== "Pop" && system !== "ItemKNN";
  return {
    model: system,
    dataset: `movielens-latest-small-2016: 671 users, ${items} items, 90072 interactions, ` +
      "fingerprint f5bf20439b75a27b",
    split: [
      "dataset movielens-latest-small-2016 (fingerprint f5bf20439b75a27b)",
      "every rating (0.5-5 stars) kept as an implicit interaction",
      "5-core filtering (iterated to a fixed point: 2 rounds)",
      "tie-break for equal timestamps: by timestamp, then by row order",
      LEAVE_ONE_OUT_LINE,
      "model input: the most recent 50 items; training reads every 50-item window of the " +
      "training history",
    ],
    loss: trained ? RECORD_LOSS : "none",
    ranking: `full ranking over all ${items} items, history items excluded [history_excluded], ` +
      "target never excluded, ties pessimistic",
    rankingProtocol: "history_excluded",
    stage: "test",
    seed,
  };
}

/** Where a run is: its dataset label and, for the noise-level experiment, its noise fraction. */
export interface RunPlace {
  dataset?: string;
  noiseFraction?: number;
  test?: number;
}

/** A finished run of the registered system `system` at `seed`, with a card of record. */
export function finishedRun(system: string, seed: number, place: RunPlace = {}): FinishedCell {
  const { dataset = "MovieLens", noiseFraction, test = 0.1 } = place;
  const spec = (SYSTEMS as Record<string, PlannedCell["system"]>)[system];
  const result = {
    ...storedCellResult(0.1, test),
    system,
    dataset,
    seed,
    protocol: recordCard(system, seed),
  } as CellResult;
  const cell = {
    key: `test__${dataset}__${system}__seed=${seed}`,
    system: spec,
    systemName: system,
    systemKey: system,
    seed,
    datasetLabel: dataset,
    experiments: noiseFraction === undefined ? ["main"] : ["noise_level"],
    ...(noiseFraction === undefined ? {} : { noiseFraction }),
  } as unknown as PlannedCell;
  return { cell, result };
}

/** A caption protocol as `captionProtocolOf` reads it from a card of record. */
export const RECORD_CAPTION_PROTOCOL: CaptionProtocol = {
  data: ["MovieLens (movielens-latest-small-2016: 671 users, 3496 items, ...)"],
  split: LEAVE_ONE_OUT_LINE,
  loss: `L_rec = ${RECORD_LOSS}`,
  ranking: "full ranking over all items of the dataset, history items excluded",
  seeds: [0],
  aggregate: "one run",
};
