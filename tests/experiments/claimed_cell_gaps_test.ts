/**
 * `runClaimedCell` (lib/experiments/_claimed_cell.ts) with a stand-in training, pinned where
 * mutation round NN found no test: the check under the claim that the cell was stored meanwhile,
 * the claim's check before the result is stored, which failures a trial stores as diverged, what
 * that record says, and the checkpoints removed once the cell is stored. Nothing is trained.
 * Mutation round JD (session 45) added: the checkpoints stay when the result cannot be stored; the
 * training gets the results folder and its epochs reach `onEpoch`; a cell stored meanwhile prepares
 * no dataset.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { type CellTraining, runClaimedCell } from "../../lib/experiments/_claimed_cell.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { checkCellResult } from "../../lib/experiments/cell_result_check.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import { ClaimLostError } from "../../lib/experiments/held_claim.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { TrainingDivergedError } from "../../lib/train/config.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";

/** The quick plan at seeds 7 and 8 (no cell's seed is 0 by chance). */
const PLAN = planExperiments("quick", [7, 8]);

/** The quick plan's SASRec-MM trial 1: a selection trial that reuses no other run. */
function trialCell(): PlannedCell {
  const cell = PLAN.cells.find((c) =>
    c.trial?.index === 1 && c.systemKey === "SASRec-MM" && !c.waitsFor
  )!;
  assert(cell !== undefined && cell.sameAs === undefined && cell.seed === 7);
  return cell;
}

/**
 * Runs `cell` under a claim this process makes, in a fresh results folder, with `train` as its
 * training; `body` checks the folder afterwards.
 */
async function withClaimedRun(
  cell: PlannedCell,
  train: CellTraining,
  body: (
    run: () => Promise<CellResult | undefined>,
    store: ResultStore,
    resultsDir: string,
    lines: string[],
  ) => Promise<void>,
): Promise<void> {
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const lines: string[] = [];
  const context = {
    store,
    datasetOf: () => Promise.resolve({} as PreparedDataset),
    train,
    onEpoch: () => {},
    log: (line: string) => lines.push(line),
    resultsDir,
  };
  const run = async () => {
    assertEquals(store.claim(cell.key), undefined);
    try {
      return await runClaimedCell(PLAN, cell, context);
    } finally {
      if (store.claimOf(cell.key)?.pid === Deno.pid) store.release(cell.key);
    }
  };
  try {
    await body(run, store, resultsDir, lines);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("runClaimedCell: a cell stored meanwhile with its settings is not trained; a stale record is", async () => {
  const cell = trialCell();
  let trained = 0;
  const train: CellTraining = () => (trained++, Promise.resolve(storedCellResult(0.4)));
  await withClaimedRun(cell, train, async (run, store) => {
    // Another process stored it between this one's listing and its claim.
    store.put(cell.key, settingsOf(PLAN, cell), storedCellResult(0.2));
    assertEquals(await run(), undefined);
    assertEquals(trained, 0);
    // A record with other settings (the cell changed since) is no result of this cell.
    store.put(cell.key, { changed: true }, storedCellResult(0.2));
    assertEquals((await run())?.valid["NDCG@10"], 0.4);
    assertEquals(trained, 1);
    assertEquals(store.get(cell.key, settingsOf(PLAN, cell), checkCellResult)?.valid, {
      "NDCG@10": 0.4,
    });
  });
});

Deno.test("runClaimedCell: a claim taken over after the training stores nothing (ClaimLostError)", async () => {
  // The evaluation after the last epoch takes minutes on large cells: no epoch end checks then.
  const cell = trialCell();
  const now = new Date().toISOString();
  const taken: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
  let claimPath: string | undefined;
  const trainAndLose: CellTraining = () => {
    // Another host's process takes the claim over (as the takeover tests write a live claim).
    if (claimPath !== undefined) Deno.writeTextFileSync(claimPath, JSON.stringify(taken));
    return Promise.resolve(storedCellResult(0.4));
  };
  await withClaimedRun(cell, trainAndLose, async (run, store, _, lines) => {
    claimPath = store.claimPathOf(cell.key);
    await assertRejects(run, ClaimLostError, "this process hands the cell over");
    assertEquals(store.has(cell.key), false, "stored after the claim was lost");
    assertEquals(store.claimOf(cell.key), taken, "the new holder's claim was touched");
    assertEquals(lines.filter((line) => line.includes("its claim was taken over")).length, 1);
    // Held throughout: stored.
    Deno.removeSync(claimPath);
    claimPath = undefined;
    assertEquals((await run())?.valid["NDCG@10"], 0.4);
    assertEquals(store.has(cell.key), true);
  });
});

Deno.test("runClaimedCell: only a trial's divergence is stored as diverged; another failure propagates", async () => {
  const cell = trialCell();
  const failing: CellTraining = () => Promise.reject(new Error("ENOSPC: no space left on device"));
  await withClaimedRun(cell, failing, async (run, store) => {
    await assertRejects(run, Error, "ENOSPC");
    assertEquals(store.has(cell.key), false, "a failed trial stored as diverged");
  });
});

Deno.test("runClaimedCell: a diverged trial's record names its system, dataset, seed and planned epochs", async () => {
  const cell = trialCell();
  const diverging: CellTraining = () =>
    Promise.reject(new TrainingDivergedError("loss 1e9 at step 3"));
  await withClaimedRun(cell, diverging, async (run, store) => {
    await run();
    const record = store.get(cell.key, settingsOf(PLAN, cell), checkCellResult)!;
    assertEquals(
      [record.system, record.dataset, record.seed, record.maxEpochs, record.diverged],
      [cell.systemName, cell.datasetLabel, 7, cell.training.maxEpochs, "loss 1e9 at step 3"],
    );
    assert((cell.training.maxEpochs ?? 0) > 0);
  });
});

Deno.test("runClaimedCell: a stored cell's epoch checkpoints are removed", async () => {
  // A neural cell after the first seed (no model kept): its checkpoints only go.
  const cell = PLAN.cells.find((c) =>
    c.systemName === "SASRec-ID" && !c.trial && c.seed === 8 && !c.waitsFor
  )!;
  assert(cell !== undefined && cell.system.kind === "neural");
  const plan: ExperimentPlan = PLAN;
  await withClaimedRun(cell, () => Promise.resolve(storedCellResult()), async (run, store, dir) => {
    const checkpoints = cellCheckpointDir(dir, plan, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    Deno.writeTextFileSync(`${checkpoints}/last.json`, "{}");
    await run();
    assertEquals(store.has(cell.key), true);
    assertEquals(pathExists(checkpoints), false, "checkpoints left after the cell was stored");
  });
});

Deno.test("runClaimedCell stops its claim's heartbeat timer however the cell ends", async () => {
  // A timer left running beats on the released claim and says the cell was handed over.
  const cell = trialCell();
  let fail = false;
  const train: CellTraining = () =>
    fail ? Promise.reject(new Error("out of memory")) : Promise.resolve(storedCellResult(0.4));
  await withClaimedRun(cell, train, async (run, store) => {
    const keepAlive = store.keepAlive.bind(store);
    const timers = { started: 0, stopped: 0 };
    store.keepAlive = (...args: Parameters<ResultStore["keepAlive"]>) => {
      timers.started++;
      const stop = keepAlive(...args);
      return () => (timers.stopped++, stop());
    };
    fail = true;
    await assertRejects(run, Error, "out of memory");
    fail = false;
    await run(); // trained and stored
    await run(); // stored already
    assertEquals(timers, { started: 3, stopped: 3 });
  });
});

Deno.test("runClaimedCell: a trial that is the same run as a stored cell is copied, not trained", async () => {
  // Trial 0 runs the defaults at the first seed: the main table's first seed, stored with the
  // same settings, is it.
  const trial = PLAN.cells.find((c) => c.trial?.index === 0 && c.sameAs && !c.waitsFor)!;
  const main = PLAN.cells.find((c) => c.key === trial.sameAs)!;
  let trained = 0;
  const train: CellTraining = () => (trained++, Promise.resolve(storedCellResult(0.4)));
  await withClaimedRun(trial, train, async (run, store, _, lines) => {
    store.put(main.key, settingsOf(PLAN, trial), storedCellResult(0.3));
    assertEquals(await run(), undefined);
    assertEquals(trained, 0);
    assertEquals(store.get(trial.key, settingsOf(PLAN, trial), checkCellResult)?.valid, {
      "NDCG@10": 0.3,
    });
    assertEquals(lines, [`${trial.key}: the same run as ${main.key} (reused)`]);
  });
});

Deno.test("runClaimedCell: a result that cannot be stored leaves the cell's epoch checkpoints", async () => {
  // The checkpoints go only once the result is stored: a full disk then loses no training.
  const cell = PLAN.cells.find((c) =>
    c.systemName === "SASRec-ID" && !c.trial && c.seed === 8 && !c.waitsFor
  )!;
  await withClaimedRun(cell, () => Promise.resolve(storedCellResult()), async (run, store, dir) => {
    const checkpoints = cellCheckpointDir(dir, PLAN, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    Deno.writeTextFileSync(`${checkpoints}/last.json`, "{}");
    store.put = () => {
      throw new Error("ENOSPC: no space left on device");
    };
    await assertRejects(run, Error, "ENOSPC");
    assert(
      pathExists(`${checkpoints}/last.json`),
      "checkpoints removed before the result was stored",
    );
  });
});

Deno.test("runClaimedCell hands the training the results folder and its epochs to onEpoch; a stored cell prepares no data", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const cell = trialCell();
    const store = new ResultStore(cellsDirectory(resultsDir));
    const prepared: PlannedCell[] = [];
    const epochs: [PlannedCell, EpochProgress][] = [];
    const given: (string | undefined)[] = [];
    const progress = { epoch: 1 } as EpochProgress;
    const context = {
      store,
      datasetOf: (c: PlannedCell) => (prepared.push(c), Promise.resolve({} as PreparedDataset)),
      train: ((_plan, _cell, _data, callbacks, dir) => {
        given.push(dir);
        callbacks.onProgress?.(progress);
        return Promise.resolve(storedCellResult(0.4));
      }) as CellTraining,
      onEpoch: (c: PlannedCell, p: EpochProgress) => epochs.push([c, p]),
      log: () => {},
      resultsDir,
    };
    assertEquals(store.claim(cell.key), undefined);
    try {
      await runClaimedCell(PLAN, cell, context);
    } finally {
      store.release(cell.key);
    }
    // Checkpoints go under the results folder: without it the cell resumes from nothing.
    assertEquals(given, [resultsDir]);
    assertEquals(epochs, [[cell, progress]]);
    assertEquals(prepared, [cell]);
    // Stored now (as by another process): its dataset, which takes seconds to prepare, is not.
    assertEquals(store.claim(cell.key), undefined);
    try {
      assertEquals(await runClaimedCell(PLAN, cell, context), undefined);
    } finally {
      store.release(cell.key);
    }
    assertEquals(prepared, [cell]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runClaimedCell: a stored record with its settings but no valid result fails naming the file; nothing is trained", async () => {
  // Found by mutation round MC (MC37): read without its check, such a record counted as stored
  // meanwhile and the cell was skipped, its result never made.
  const cell = trialCell();
  let trained = 0;
  const train: CellTraining = () => {
    trained++;
    return Promise.resolve(storedCellResult(0.2));
  };
  await withClaimedRun(cell, train, async (run, store) => {
    store.put(cell.key, settingsOf(PLAN, cell), { system: "cut short" });
    const error = await assertRejects(run);
    assert(error.message.includes(store.pathOf(cell.key)), error.message);
    assertEquals(trained, 0);
  });
});

Deno.test("runClaimedCell: a diverged trial's record ran no epoch and has no best epoch, history or time", async () => {
  // Found by mutation round MC (MC38).
  const cell = trialCell();
  const diverging: CellTraining = () =>
    Promise.reject(new TrainingDivergedError("loss NaN at step 1"));
  await withClaimedRun(cell, diverging, async (run, store) => {
    await run();
    const record = store.get(cell.key, settingsOf(PLAN, cell), checkCellResult)!;
    assertEquals(
      [
        record.epochsRun,
        record.bestEpoch,
        record.history,
        record.trainSeconds,
        record.valid,
        record.test,
      ],
      [0, 0, [], 0, { "NDCG@10": 0, "HR@10": 0 }, { "NDCG@10": 0, "HR@10": 0 }],
    );
  });
});
