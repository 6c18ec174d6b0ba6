/**
 * `runClaimedCell` (lib/experiments/_claimed_cell.ts), pinned where mutation round 54 found no
 * test: a claim taken over during the training stops it at its next epoch end (not only before the
 * result is stored), and what a diverged trial's record and line say beyond its metrics. Nothing is
 * trained: the training is a stand-in.
 */
import { assert, assertEquals } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { type CellTraining, runClaimedCell } from "../../lib/experiments/_claimed_cell.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { checkCellResult } from "../../lib/experiments/cell_result_check.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import { ClaimLostError } from "../../lib/experiments/held_claim.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellEnvironment, type CellResult } from "../../lib/experiments/run_cell.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { TrainingDivergedError } from "../../lib/train/config.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";

const PLAN = planExperiments("quick", [7, 8]);

/** A selection trial that reuses no other run. */
function trialCell(): PlannedCell {
  const cell = PLAN.cells.find((c) =>
    c.trial?.index === 1 && c.systemKey === "SASRec-MM" && !c.waitsFor
  )!;
  assert(cell !== undefined && cell.sameAs === undefined);
  return cell;
}

/**
 * Runs `cell` with `train` under a claim this process makes, in a fresh results folder (`train`
 * is made with the store): what it returned or threw, its lines, then the cell's stored record
 * and claim.
 */
async function runUnderClaim(
  cell: PlannedCell,
  train: (store: ResultStore) => CellTraining,
): Promise<{
  outcome: CellResult | undefined | Error;
  lines: string[];
  record: CellResult | undefined;
  claim: CellClaim | undefined;
}> {
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const lines: string[] = [];
  try {
    assertEquals(store.claim(cell.key), undefined);
    let outcome: CellResult | undefined | Error;
    try {
      outcome = await runClaimedCell(PLAN, cell, {
        store,
        datasetOf: () => Promise.resolve({} as PreparedDataset),
        train: train(store),
        onEpoch: () => {},
        log: (line) => lines.push(line),
        resultsDir,
      });
    } catch (error) {
      outcome = error as Error;
    }
    const record = store.get(cell.key, settingsOf(PLAN, cell), checkCellResult);
    return { outcome, lines, record, claim: store.claimOf(cell.key) };
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("runClaimedCell: a claim taken over during the training stops it at the next epoch end", async () => {
  const cell = trialCell();
  const now = new Date().toISOString();
  const taken: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
  const epochEnds: string[] = [];
  const train = (store: ResultStore): CellTraining => (_plan, _cell, _data, callbacks) => {
    // Epoch 1 ends under this process's claim; another host's process then takes it over.
    callbacks.afterEpoch?.({} as EpochProgress);
    epochEnds.push("epoch 1: trained on");
    Deno.writeTextFileSync(store.claimPathOf(cell.key), JSON.stringify(taken));
    try {
      callbacks.afterEpoch?.({} as EpochProgress);
      epochEnds.push("epoch 2: trained on");
    } catch (error) {
      epochEnds.push(`epoch 2: stopped (${(error as Error).name})`);
      throw error;
    }
    return Promise.resolve(storedCellResult(0.4));
  };
  const { outcome, record, claim } = await runUnderClaim(cell, train);
  assert(outcome instanceof ClaimLostError);
  assertEquals(epochEnds, ["epoch 1: trained on", "epoch 2: stopped (ClaimLostError)"]);
  assertEquals([record, claim], [undefined, taken]);
});

Deno.test("runClaimedCell: a diverged trial's record is no cap-bound run, ran on this machine, took no step; its line says why", async () => {
  const cell = trialCell();
  const diverging: CellTraining = () =>
    Promise.reject(new TrainingDivergedError("loss 1e9 at step 3"));
  const { outcome, lines, record } = await runUnderClaim(cell, () => diverging);
  assert(outcome !== undefined && !(outcome instanceof Error) && record !== undefined);
  // As stored (JSON): a backend that no model has set yet is left out.
  const environment = JSON.parse(JSON.stringify(cellEnvironment()));
  for (const stored of [outcome, record]) {
    assertEquals(
      JSON.parse(JSON.stringify([stored.capBound, stored.meanStepSeconds, stored.environment])),
      [false, 0, environment],
    );
  }
  assertEquals(lines, [
    `${cell.key}: diverged (loss 1e9 at step 3); the selection leaves this trial out`,
  ]);
});

Deno.test("runClaimedCell: a main-table cell's divergence is no trial's: it fails and nothing is stored", async () => {
  const cell = PLAN.cells.find((c) =>
    !c.trial && c.system.kind === "neural" && !c.waitsFor && c.sameAs === undefined
  );
  assert(cell !== undefined);
  const diverging: CellTraining = () =>
    Promise.reject(new TrainingDivergedError("loss 1e9 at step 3"));
  const { outcome, lines, record } = await runUnderClaim(cell, () => diverging);
  assert(outcome instanceof TrainingDivergedError);
  assertEquals([record, lines], [undefined, []]);
});
