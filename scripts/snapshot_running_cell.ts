/**
 * The state of a cell that is still training, from its epoch checkpoint (`<results>/checkpoints/
 * <cell>-<hash>/last.json`): the per-epoch history (losses, validation metrics) so far, the best
 * epoch, and Demure's noise counts per modality. Not a result of record (no test metrics: test is
 * read once, when the cell finishes); used to say how far an unfinished run had come.
 *
 *   deno run -A scripts/snapshot_running_cell.ts <checkpoint dir> <out.json>
 */
import type { EpochProgress } from "../mod.ts";
import { writeFilesAtomically } from "../lib/data/mod.ts";

const [dir, out] = Deno.args;
if (dir === undefined || out === undefined) {
  throw new Error("usage: snapshot_running_cell.ts <checkpoint dir> <out.json>");
}
const last = JSON.parse(Deno.readTextFileSync(`${dir.replace(/\/$/, "")}/last.json`)) as {
  created: string;
  modelConfig: { modalities?: string[] };
  trainerState: {
    epochsDone: number;
    bestEpoch: number;
    bestValidation: number;
    history: EpochProgress[];
    hookState?: { noiseCount?: number[]; validCount?: number[] };
  };
};
const state = last.trainerState;
const noise = state.hookState?.noiseCount;
const valid = state.hookState?.validCount;
const snapshot = {
  checkpoint: dir.slice(dir.lastIndexOf("/", dir.length - 2) + 1).replace(/\/$/, ""),
  savedAt: last.created,
  note: "unfinished run: the state of its last epoch checkpoint, not a result of record",
  epochsDone: state.epochsDone,
  bestEpoch: state.bestEpoch,
  bestValidation: state.bestValidation,
  history: state.history,
  ...(noise && valid
    ? {
      modalities: last.modelConfig.modalities ?? "the dataset's, in order",
      noiseRateByModality: noise.map((n, m) => valid[m] > 0 ? n / valid[m] : NaN),
    }
    : {}),
};
writeFilesAtomically([{ path: out, data: JSON.stringify(snapshot, null, 1) + "\n" }]);
console.log(`wrote ${out}: ${state.epochsDone} epochs, best ${state.bestEpoch}`);
