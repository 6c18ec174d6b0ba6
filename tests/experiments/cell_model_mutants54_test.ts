/**
 * lib/experiments/cell_model.ts, pinned where mutation round 54 found no test: a staging folder
 * that another sweeper removes between the listing and its look is skipped, not an error, and the
 * other folders are still swept (`removeAbandonedModelCopies`); a cell's own kept model is the one
 * it reads, before its reused trial's (`keptCellModelDir`); a claim taken over during cellModel's
 * training stops it at the next epoch end; a reused trial's stopped training that appears while
 * cellModel waits for the cell's claim is resumed under the trial's claim.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  cellModel,
  cellModelDir,
  keptCellModelDir,
  removeAbandonedModelCopies,
} from "../../lib/experiments/cell_model.ts";
import { prepareDataset, type PreparedDataset } from "../../lib/experiments/datasets.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ClaimLostError } from "../../lib/experiments/held_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellStoreOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";

await initBackend({ verbose: false });

Deno.test("removeAbandonedModelCopies skips a staging folder removed meanwhile by another sweeper", () => {
  const resultsDir = Deno.makeTempDirSync();
  const statSync = Deno.statSync;
  try {
    const models = `${resultsDir}/models`;
    Deno.mkdirSync(`${models}/a.staging`, { recursive: true });
    Deno.mkdirSync(`${models}/b.staging`, { recursive: true });
    // An hour old: stale by far (STALE_TEMPORARY_SECONDS is minutes).
    const old = new Date(Date.now() - 3_600_000);
    Deno.utimeSync(`${models}/b.staging`, old, old);
    // Another process's sweep removes "a" between this one's listing and its look.
    const goneMeanwhile = (path: string | URL) => {
      if (String(path).endsWith("/a.staging")) throw new Deno.errors.NotFound("stand-in");
      return statSync(path);
    };
    const lines: string[] = [];
    withDenoStandIns(
      { statSync: goneMeanwhile },
      () => removeAbandonedModelCopies(resultsDir, (line) => lines.push(line)),
    );
    assertEquals(lines.length, 1, lines.join("\n"));
    assertEquals(lines[0].startsWith(`removed ${models}/b.staging, `), true, lines[0]);
    assertEquals(pathExists(`${models}/b.staging`), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

/** A kept model's best checkpoint pair in `dir` as keptCellModelDir looks for it (no weights). */
function keptBest(dir: string): void {
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(`${dir}/best.json`, JSON.stringify({ weightsFile: "best.safetensors" }));
  Deno.writeTextFileSync(`${dir}/best.safetensors`, "");
}

Deno.test("keptCellModelDir: a cell's own kept model is the one it reads, before its reused trial's", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const cell = {
      key: "quick/Synthetic/SASRec-ID/seed=0",
      sameAs: "quick/Synthetic/SASRec-ID/trial=0",
    };
    const own = cellModelDir(resultsDir, cell);
    keptBest(own);
    assertEquals(keptCellModelDir(resultsDir, { key: cell.key }), own);
    // The reproduction keeps the chosen trial's model under the cell's own name too.
    keptBest(cellModelDir(resultsDir, { key: cell.sameAs }));
    assertEquals(keptCellModelDir(resultsDir, cell), own);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

/**
 * Trains `cell` in `resultsDir` until another host's process takes the cell's claim over after
 * epoch 1: the epochs it reported, and what cellModel threw.
 */
async function trainUntilTakenOver(
  plan: ExperimentPlan,
  cell: PlannedCell,
  resultsDir: string,
  data: PreparedDataset,
): Promise<{ epochs: number[]; error: Error }> {
  const store = cellStoreOf(resultsDir);
  const epochs: number[] = [];
  const error = await assertRejects(() =>
    cellModel(plan, cell, {
      resultsDir,
      train: true,
      data,
      onProgress: (progress) => {
        if (epochs.at(-1) === progress.epoch) return;
        epochs.push(progress.epoch);
        if (progress.epoch !== 1) return;
        const now = new Date().toISOString();
        Deno.writeTextFileSync(
          store.claimPathOf(cell.key),
          JSON.stringify({ pid: 4242, hostname: "host-b", since: now, heartbeat: now }),
        );
      },
    })
  );
  return { epochs, error };
}

Deno.test("cellModel: a claim taken over during its training stops it at the next epoch end, nothing kept as finished", async () => {
  const { plan, cell } = quickSasrecCell();
  assert((cell.training.maxEpochs ?? 0) >= 3, "a training of 3 epochs at least");
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const { epochs, error } = await trainUntilTakenOver(plan, cell, resultsDir, data);
    assert(error instanceof ClaimLostError, String(error));
    assertEquals(epochs, [1]);
    assertEquals(pathExists(`${cellModelDir(resultsDir, cell)}/training.json`), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: a reused trial's stopped training that appears while it waits for the cell's claim is resumed under the trial's claim", async () => {
  const { plan, cell: own } = quickSasrecCell();
  const trialKey = `${own.key}/trial=0`;
  const cell = { ...own, sameAs: trialKey };
  const resultsDir = Deno.makeTempDirSync();
  const store = cellStoreOf(resultsDir);
  const { claim } = ResultStore.prototype;
  try {
    const data = await prepareDataset(cell.dataset);
    // What the trial's training, stopped part-way (after epoch 1), leaves: its checkpoints.
    const elsewhere = `${resultsDir}/elsewhere`;
    await trainUntilTakenOver(plan, own, elsewhere, data);
    const stopped = cellModelDir(elsewhere, own);
    const trial = cellModelDir(resultsDir, { key: trialKey });
    // Nothing kept at cellModel's first look; the trial's files appear before its claim is had.
    ResultStore.prototype.claim = function (key: string, job?: string) {
      if (!pathExists(trial)) {
        Deno.mkdirSync(trial, { recursive: true });
        for (const entry of Deno.readDirSync(stopped)) {
          Deno.copyFileSync(`${stopped}/${entry.name}`, `${trial}/${entry.name}`);
        }
      }
      return claim.call(this, key, job);
    };
    const trialHeld: boolean[] = [];
    const epochs: number[] = [];
    const got = await cellModel(plan, cell, {
      resultsDir,
      train: true,
      data,
      onProgress: (progress) => {
        epochs.push(progress.epoch);
        trialHeld.push(store.claimOf(trialKey) !== undefined);
      },
    });
    got.model.dispose();
    assertEquals([got.source, epochs[0] > 1], ["trained", true], "resumed after epoch 1");
    assert(trialHeld.length > 0 && trialHeld.every((held) => held), String(trialHeld));
    assertEquals(pathExists(`${trial}/training.json`), true, "trained on in the trial's folder");
    assertEquals(pathExists(cellModelDir(resultsDir, cell)), false, "nothing as its own");
  } finally {
    ResultStore.prototype.claim = claim;
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
