/**
 * Shared by the Demure attribution-source benchmarks: the recorded cell's settings, and the user x
 * modality ROC-AUC of the noise masks a Demure run holds in its mask cache.
 *
 * @module
 */
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
