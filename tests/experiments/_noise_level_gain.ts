/**
 * A `NoiseLevelGain` built by hand for the figure tests: the default systems and metric of
 * `noiseLevelGains` unless `labels` names others, runs of `runSystem` at the paired seeds.
 */
import type { NoiseLevelGain } from "../../lib/experiments/experiment_views.ts";
import { meanStd } from "../../lib/experiments/analyse.ts";
import { finishedRun } from "./_finished_run.ts";

/** What a gain records it is: the labels its figure takes. */
export type NoiseLevelGainLabels = Partial<Pick<NoiseLevelGain, "system" | "baseline" | "metric">>;

/** One level's gain: `differences` at `seeds`, `unpaired` seeds, labelled by `labels`. */
export function noiseLevelGain(
  fraction: number,
  seeds: number[],
  differences: number[],
  unpaired: { system: number[]; baseline: number[] } = { system: [], baseline: [] },
  { runSystem = "GRU4Rec-ID", ...labels }: NoiseLevelGainLabels & { runSystem?: string } = {},
): NoiseLevelGain {
  return {
    system: labels.system ?? "Demure-SASRec",
    baseline: labels.baseline ?? "SASRec-MM",
    metric: labels.metric ?? "test NDCG@10",
    fraction,
    seeds,
    differences,
    stats: meanStd(differences),
    unpaired,
    runs: seeds.map((seed) => finishedRun(runSystem, seed, { noiseFraction: fraction })),
  };
}
