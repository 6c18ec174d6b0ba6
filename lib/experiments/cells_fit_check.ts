/**
 * Whether every cell of an imported dataset that its trainer hooks could refuse can finish on the
 * data, checked when the data is read and before any cell trains. The refusals are the hooks' own,
 * from their one home ({@linkcode demureRunRefusal}, {@linkcode cl4srecRunRefusal}), on the budget
 * the trainer would give them ({@linkcode trainingBudget}):
 * - a Demure warm-up by steps that outlasts a run of `maxEpochs` epochs of as few batches as the
 *   file gives (the 48-user fixture: one batch an epoch; `DemureConfig.warmupSteps`);
 * - an attributing Demure run with a user whose training history fills more windows than the
 *   noise-mask cache keys (`TrainerConfig.windows`);
 * - a CL4SRec run, or a Demure one with `noiseViewAsNegative` false, that would train a batch of
 *   1 row, which has no negative (the file's users leave one row over after full batches:
 *   `TrainerConfig.batchSize`).
 * Without this check each such cell failed on its own when it started, after the cells before it
 * had trained (hours, in the full plan). The plan checks the warm-ups by epochs without the data
 * (`_plan_cells.ts`). The embedded datasets are not read here: their histories are fixed, every
 * cell of theirs runs as recorded, and reading MovieLens (parsing and hashing its files) for every
 * run would be wasted; a cell of theirs is still checked by its own trainer when it starts.
 *
 * @example
 * ```ts
 * await checkCellsFitData(plan.cells, (cell) => prepareDataset(cell.dataset));
 * ```
 */
import { cl4srecRunRefusal } from "../baselines/cl4srec.ts";
import { resolveDemureConfig } from "../demure/config.ts";
import { demureRunRefusal } from "../demure/objective.ts";
import { resolveTrainerConfig } from "../train/config.ts";
import { trainingBudget } from "../train/trainer.ts";
import { SettingError } from "../util/settings.ts";
import type { PreparedDataset } from "./datasets.ts";
import type { PlannedCell } from "./plan_types.ts";

/**
 * Throws the trainer hooks' `SettingError` (the setting, its value, the allowed range), its
 * allowed range ending with `; cell <key> on <dataset>`, for the first cell of an imported
 * dataset that its Demure or CL4SRec hooks would refuse before their first step. Reads the data
 * through `datasetOf` only for such cells (Demure and CL4SRec cells of an imported dataset).
 */
export async function checkCellsFitData(
  cells: readonly PlannedCell[],
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
): Promise<void> {
  for (const cell of cells) {
    const { system } = cell;
    if (cell.dataset.kind !== "file" || system.kind !== "neural") continue;
    if (!system.demure && !system.cl4srec) continue;
    const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
    const data = await datasetOf(cell);
    const budget = trainingBudget(data.split, trainer);
    const refusal = system.demure
      ? demureRunRefusal(resolveDemureConfig(system.demure), trainer, budget)
      : cl4srecRunRefusal(trainer, budget);
    if (refusal) {
      throw new SettingError(
        refusal.setting,
        refusal.value,
        `${refusal.allowed}; cell ${cell.key} on ${data.label}`,
      );
    }
  }
}
