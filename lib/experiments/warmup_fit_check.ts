/**
 * Whether every Demure-family cell of an imported dataset can leave its warm-up, checked when the
 * data is read and before any cell trains. A warm-up by steps outlasts a run of `maxEpochs` epochs
 * of as few batches as the file gives (the 48-user fixture: one batch an epoch), and the trainer
 * refuses such a run ({@linkcode warmupRefusal}); without this check each such cell failed on its
 * own after the cells before it had trained. The plan checks the warm-ups by epochs without the
 * data (`_plan_cells.ts`); the embedded datasets' steps per epoch are fixed and far above the
 * plan's warm-ups.
 *
 * @example
 * ```ts
 * await checkWarmupsFitData(plan.cells, (cell) => prepareDataset(cell.dataset));
 * ```
 */
import { resolveDemureConfig, warmupRefusal } from "../demure/config.ts";
import { resolveTrainerConfig } from "../train/config.ts";
import { trainingStepsPerEpoch } from "../train/trainer.ts";
import { SettingError } from "../util/settings.ts";
import type { PreparedDataset } from "./datasets.ts";
import type { PlannedCell } from "./plan_types.ts";

/**
 * Throws the trainer's `SettingError` (`DemureConfig.warmupSteps`, with the run's steps), naming
 * the first cell of an imported dataset whose warm-up the run could never leave. Reads the data
 * through `datasetOf` only for such cells.
 */
export async function checkWarmupsFitData(
  cells: readonly PlannedCell[],
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
): Promise<void> {
  for (const cell of cells) {
    const { system } = cell;
    if (cell.dataset.kind !== "file" || system.kind !== "neural" || !system.demure) continue;
    const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
    const data = await datasetOf(cell);
    const steps = trainingStepsPerEpoch(data.split, trainer);
    const refusal = warmupRefusal(resolveDemureConfig(system.demure), trainer, steps);
    if (refusal) {
      throw new SettingError(
        refusal.setting,
        refusal.value,
        `${refusal.allowed}; cell ${cell.key} on ${data.label}`,
      );
    }
  }
}
