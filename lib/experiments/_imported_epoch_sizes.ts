/**
 * The epoch sizes of an imported dataset's neural cells (`EpochSize`: steps an epoch, items), read
 * from their prepared data, that scale their first time estimate (`cell_seconds.ts`). Private to
 * the plan runner (`run_plan.ts`), which prepares these datasets for the run anyway.
 */
import { resolveTrainerConfig } from "../train/config.ts";
import { trainingStepsPerEpoch } from "../train/trainer.ts";
import type { EpochSize } from "./cell_seconds.ts";
import type { PreparedDataset } from "./datasets.ts";
import type { PlannedCell } from "./plan_types.ts";

/** The epoch of `cell` on `data`: the trainer's steps an epoch with the cell's settings, the items. */
export function epochSizeOf(cell: PlannedCell, data: PreparedDataset): EpochSize {
  const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
  return {
    stepsPerEpoch: trainingStepsPerEpoch(data.split, trainer),
    items: data.split.dataset.numItems,
  };
}

/**
 * The epoch size of each neural cell of an imported dataset among `cells` (by key), its data read
 * through `datasetOf` (which prepares each dataset once). A cell waiting for a selection is left
 * out: it has no settings yet, and an imported dataset plans none.
 */
export async function importedEpochSizes(
  cells: readonly PlannedCell[],
  datasetOf: (cell: PlannedCell) => Promise<PreparedDataset>,
): Promise<Map<string, EpochSize>> {
  const sizes = new Map<string, EpochSize>();
  for (const cell of cells) {
    if (cell.dataset.kind !== "file" || cell.system.kind !== "neural" || cell.waitsFor) continue;
    sizes.set(cell.key, epochSizeOf(cell, await datasetOf(cell)));
  }
  return sizes;
}
