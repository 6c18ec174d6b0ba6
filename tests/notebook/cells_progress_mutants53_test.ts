/**
 * Behaviour of cellsProgress (lib/notebook/cells_progress.ts) that a hand mutation round (session
 * 53, mu53a) changed without any test noticing. Each test names the mutant it kills.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { cellsProgress } from "../../lib/notebook/cells_progress.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { epochOf } from "./_epoch_progress.ts";
import { printedLines } from "./_printed_lines.ts";
import { shownTexts } from "./_shown_texts.ts";

const CELL = { key: "quick/Synthetic/SASRec/seed=0", training: { patience: 7 } } as PlannedCell;

// Mutant: `${place.finished}/${place.planned}` -> `${place.planned}/${place.finished}` (the only
// test had a cell finishing as 3 of 3).
Deno.test("cellsProgress in a kernel: the live line is numbered cells finished / cells planned", async () => {
  const { shown, api } = shownTexts();
  const progress = cellsProgress(api);
  progress.onEpoch(CELL, epochOf({}), { finished: 2, planned: 5 });
  await progress.done();
  assertEquals(shown[0].startsWith(`[2/5] ${CELL.key} epoch 1 of at most 3`), true, shown[0]);
});

// Mutant: the printed line (outside a kernel) made without the cell's stopping settings.
Deno.test("cellsProgress outside a kernel: the printed line says how much of the cell's own patience is used", async () => {
  const printed = await printedLines(async () => {
    const progress = cellsProgress(null);
    progress.onEpoch(CELL, epochOf({ epoch: 2, bestEpoch: 1, validation: { "NDCG@10": 0.1 } }));
    await progress.done();
  });
  assertEquals(printed.length, 1);
  assertStringIncludes(printed[0], "of 7 validations of patience without a better NDCG@10");
});
