/**
 * designChoiceRows (lib/experiments/summary.ts) where mutation round 50d found behaviour the
 * summary tests did not pin, on a handful of made-up cells (no records read): a flipped run whose
 * seed has no finished main cell is left out of the flipped means and best epochs, the selected
 * side is averaged over the paired seeds only, and a choice with no paired seed has no row.
 */
import { assertEquals } from "@std/assert";
import { designChoiceRows } from "../../lib/experiments/summary.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";

const CHOICE = { name: "attribution per pair", key: "granularity=pair", demure: {} };

/** A finished Demure-SASRec cell on "D" at `seed`: a main cell, or one with the choice flipped. */
function demureCell(seed: number, flipped: boolean, valid: number, test: number): FinishedCell {
  return {
    cell: {
      key: `full/D/Demure-SASRec${flipped ? `[${CHOICE.key}]` : ""}/seed=${seed}`,
      datasetLabel: "D",
      systemKey: "Demure-SASRec",
      systemName: "Demure-SASRec",
      seed,
      experiments: [flipped ? "design_choice" : "main"],
      ...(flipped ? { designChoice: CHOICE } : {}),
    },
    result: { valid: { "NDCG@10": valid }, test: { "NDCG@10": test }, bestEpoch: 10 + seed },
  } as unknown as FinishedCell;
}

/** Main cells at seeds 0-4; flipped cells at seeds 0-2 (tests 0.2, 0.3, 0.4). */
const MAIN = [0, 1, 2, 3, 4].map((seed) => demureCell(seed, false, 0.5 + seed / 100, 0.1 * seed));
const FLIPPED = [0, 1, 2].map((seed) => demureCell(seed, true, 0.6, 0.2 + seed / 10));

Deno.test("design choices: a flipped run without a finished main cell at its seed is in no mean", () => {
  // Mutation 50d M18: the flipped runs unfiltered averaged seed 2's run into the flipped means
  // and best epochs though the row's seeds (and its paired difference) leave that seed out.
  const withoutMain2 = MAIN.filter(({ cell }) => cell.seed !== 2);
  const [row] = designChoiceRows([...withoutMain2, ...FLIPPED]);
  assertEquals(row.seeds, [0, 1]);
  assertEquals([row.flipped.valid.n, row.flipped.test.n], [2, 2]);
  assertEquals(row.flipped.bestEpochs, [10, 11]);
  assertEquals(row.flipped.test.mean, 0.25);
  assertEquals([row.selected.valid.n, row.selected.test.n], [2, 2]);
});

Deno.test("design choices: the selected side is averaged over the paired seeds, not every main seed", () => {
  // Mutations 50d M9 and M15: the selected configuration's valid and test means over all five
  // main seeds set beside flipped means over three.
  const [row] = designChoiceRows([...MAIN, ...FLIPPED]);
  assertEquals(row.seeds, [0, 1, 2]);
  assertEquals([row.selected.valid.n, row.selected.test.n], [3, 3]);
  assertEquals(row.selected.test.mean, (0 + 0.1 + 0.2) / 3);
  assertEquals(row.selected.valid.mean, (0.5 + 0.51 + 0.52) / 3);
});

Deno.test("design choices: a choice with no finished main cell at any of its seeds has no row", () => {
  // Mutation 50d M17: without the check a row of no seed came out, its means NaN.
  assertEquals(designChoiceRows([...MAIN.slice(3), ...FLIPPED]), []);
  assertEquals(designChoiceRows(FLIPPED), []);
});
