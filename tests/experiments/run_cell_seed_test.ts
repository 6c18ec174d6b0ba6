/**
 * Determinism of one cell (runCell: the model, the trainer and Demure all seeded by the cell's
 * seed; the attribution scored against the planted truth): the same seed gives the same metrics,
 * per-user values, epochs and Demure counters to the bit, also after another cell in the same
 * process; another seed gives other numbers. (Runs alongside each other are the training tests'
 * (tests/train/train_seed_test.ts): runCell's count of the tensors a cell leaves assumes one cell
 * at a time.)
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { type CellResult, runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS, type SystemSpec } from "../../lib/experiments/systems.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";

await initBackend({ verbose: false });

const data = await prepareDataset({
  kind: "synthetic",
  config: { numUsers: 24, numItems: 30, historyLength: 8 },
});

/** Demure-SASRec and its random-mask ablation, denoising from the second step. */
const CELLS: Record<string, SystemSpec> = {
  "Demure-SASRec": { ...SYSTEMS["Demure-SASRec"], demure: { variant: "full", warmupSteps: 1 } },
  "ContrastiveOnly-SASRec": {
    ...SYSTEMS["ContrastiveOnly-SASRec"],
    demure: { variant: "contrastive_only", warmupSteps: 1 },
  },
};

/** The cell's numbers: its result less the clock's times and the machine's description. */
async function cell(name: string, seed: number) {
  const result: CellResult = await runCell(data, CELLS[name], name, {
    seed,
    model: { dim: 8 },
    training: { maxEpochs: 2, batchSize: 8 },
    // The attribution's score (every method over every user) only where the masks are attributed.
    scoreAttribution: name === "Demure-SASRec",
    onProgress: () => {},
  });
  const { trainSeconds: _, meanStepSeconds: __, environment: ___, history, attribution, ...rest } =
    result;
  return {
    ...rest,
    history: history.map(({ epochSeconds: _, stepSeconds: __, secondsLeftAtMost: ___, ...e }) => e),
    attribution: attribution?.map(({ seconds: _, ...a }) => a),
  };
}

for (const name of Object.keys(CELLS)) {
  Deno.test(`runCell (${name}): the same seed gives the same bits, after another cell too`, async () => {
    const first = await cell(name, 1);
    assert((first.demure?.pairsByModality.text?.noise ?? 0) + (first.demure?.random ?? 0) > 0);
    const other = await cell(name, 2);
    assertBitIdentical(await cell(name, 1), first);
    assertNotBitIdentical(other.perUserTest, first.perUserTest);
    assertEquals(first.history.length, 2);
  });
}
