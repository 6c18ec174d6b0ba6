/**
 * Shared by the Demure attribution-source benchmarks: the recorded cell's settings, the recorded
 * Demure-SASRec cells there are, and the user x modality ROC-AUC of the noise masks a Demure run
 * holds in its mask cache.
 *
 * @module
 */
import { UsageError } from "../scripts/cli/options.ts";
import {
  type AttributedBatch,
  attributionOfContributions,
  scoreAgainstTruth,
} from "../lib/attribution/mod.ts";
import type {
  CellSettings,
  DatasetSpec,
  HookState,
  noiseAttributionConfig,
  PlantedTruth,
  SystemSpec,
} from "../mod.ts";

/** Windows per user in Demure's cache keys (`MAX_WINDOWS_PER_USER` in `lib/demure/objective.ts`). */
const WINDOWS_PER_USER = 1024;

/** The recorded cell's settings (dataset, system, model, training). */
export interface RecordedCell {
  settings: { dataset: DatasetSpec; system: SystemSpec } & CellSettings;
  result: { test: Record<string, number> };
}

/** The folder of the full mode's recorded cells (read, never written). */
export const RECORDED_CELLS = "results-of-record/full/cells";

/**
 * The path of the recorded Demure-SASRec cell of `dataset` (the cell file's dataset part:
 * `Synthetic`, `MovieLens`, `Synthetic__noiseFraction=0.25`, ...) at each of `seeds`, or a
 * {@linkcode UsageError} naming the recorded datasets or seeds (`--<datasetOption>`,
 * `--<seedOption>`) when there is none. Reads the folder only.
 *
 * @example
 * ```ts
 * recordedDemureSasrecCells("Synthetic", [0], "dataset", "seeds");
 * // ["results-of-record/full/cells/full__Synthetic__Demure-SASRec__seed=0.json"]
 * ```
 */
export function recordedDemureSasrecCells(
  dataset: string,
  seeds: readonly number[],
  datasetOption: string,
  seedOption: string,
): string[] {
  const recorded = new Map<string, number[]>();
  for (const entry of Deno.readDirSync(RECORDED_CELLS)) {
    const match = /^full__(.+)__Demure-SASRec__seed=([0-9]+)\.json$/.exec(entry.name);
    if (match) recorded.set(match[1], [...(recorded.get(match[1]) ?? []), Number(match[2])]);
  }
  const recordedSeeds = recorded.get(dataset);
  if (recordedSeeds === undefined) {
    throw new UsageError(
      `--${datasetOption} ${dataset}: no recorded Demure-SASRec cell in ${RECORDED_CELLS} ` +
        `(recorded: ${[...recorded.keys()].sort().join(", ")})`,
    );
  }
  for (const seed of seeds) {
    if (!recordedSeeds.includes(seed)) {
      throw new UsageError(
        `--${seedOption} ${seed}: no recorded Demure-SASRec cell of ${dataset} at that seed ` +
          `(recorded: ${recordedSeeds.sort((a, b) => a - b).join(", ")})`,
      );
    }
  }
  return seeds.map((seed) =>
    `${RECORDED_CELLS}/full__${dataset}__Demure-SASRec__seed=${seed}.json`
  );
}

/**
 * User x modality ROC-AUC of the masks in Demure's cache (each user's most recent window, key
 * window 0): the stored normalised contributions, re-run through the attribution's host code
 * (z-scores of z-scores are themselves) so that they are scored exactly as an attribution is.
 */
export function cachedMaskAuc(
  state: HookState,
  truth: PlantedTruth,
  modalityNames: string[],
  config: ReturnType<typeof noiseAttributionConfig>,
  maxUser = Infinity,
) {
  const field = (name: string) => state.tensors.get(`demure/${name}`)!;
  const high = field("keysHigh").data;
  const low = field("keysLow").data;
  const scores = field("scores");
  const perRow = scores.shape[1];
  const modalities = modalityNames.length;
  const positions = perRow / modalities;
  const batches: AttributedBatch[] = [];
  for (let row = 0; row < high.length; row++) {
    const key = high[row] * 65536 + low[row];
    const user = Math.floor(key / WINDOWS_PER_USER);
    if (key % WINDOWS_PER_USER !== 0 || user >= maxUser) continue;
    const z = scores.data.subarray(row * perRow, (row + 1) * perRow);
    const valid = Uint8Array.from(z, (v) => Number.isNaN(v) ? 0 : 1);
    const contributions = Float32Array.from(z, (v) => Number.isNaN(v) ? 0 : v);
    const result = attributionOfContributions(
      contributions,
      valid,
      [1, positions, modalities],
      config,
    );
    batches.push({ result, users: [user] });
  }
  const score = scoreAgainstTruth(batches, truth, {
    resultModalityNames: modalityNames,
    level: "user_modality",
  });
  return { rocAuc: score.rocAuc, users: batches.length, precision: score.precision };
}
