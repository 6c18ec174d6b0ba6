/**
 * A cell's model is trained with the cell's settings and kept; the next call loads the kept
 * weights instead of training (same scores); without a kept model and with training off, the
 * error names the missing file. Training takes the cell's claim, as the reproduction does: a cell
 * another process holds is not trained (an error names the claim), and the claim is given up after.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { tf } from "../../lib/backend/tf.ts";
import { saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
import { cellModel, cellModelDir } from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { buildCellModel } from "../../lib/experiments/run_cell.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { cellStoreOf, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";

await initBackend({ verbose: false });

Deno.test("cellModel: trains and keeps the model, then loads it (same scores)", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, train: false }),
      Error,
      "no checkpoint",
    );
    const trained = await cellModel(plan, cell, { resultsDir, train: true, onProgress: () => {} });
    assertEquals(trained.source, "trained");
    assertEquals(trained.epochs, cell.training.maxEpochs);
    // The training file says what the trainer's last state says (the records' format: the
    // epochs run and the best epoch, which the kept model's weights are).
    const kept = cellModelDir(resultsDir, cell);
    const last = JSON.parse(Deno.readTextFileSync(`${kept}/last.json`)) as {
      trainerState: { epochsDone: number; bestEpoch: number };
    };
    assertEquals(JSON.parse(Deno.readTextFileSync(`${kept}/training.json`)), {
      epochsDone: last.trainerState.epochsDone,
      bestEpoch: last.trainerState.bestEpoch,
      settings: JSON.parse(JSON.stringify(settingsOf(plan, cell))),
    });
    assertEquals(last.trainerState.epochsDone, trained.epochs);
    const { batch } = evaluationBatches(trained.data.split, "test", 8)[0];
    const before = await readAndDispose(trained.model.scoreLast(batch));
    trained.model.dispose();
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data: trained.data });
    assertEquals(loaded.source, "checkpoint");
    assertEquals(loaded.checkpoint, trained.checkpoint);
    assertEquals(loaded.epochs, trained.epochs);
    const after = await readAndDispose(loaded.model.scoreLast(batch));
    loaded.model.dispose();
    assertEquals(Array.from(after), Array.from(before));
    // Kept without a record of its training (neither the last epoch's checkpoint nor the
    // training file): it still loads, and how long it trained is unknown, not 0.
    const directory = cellModelDir(resultsDir, cell);
    for (const entry of Deno.readDirSync(directory)) {
      if (!entry.name.startsWith("best")) Deno.removeSync(`${directory}/${entry.name}`);
    }
    const bare = await cellModel(plan, cell, { resultsDir, train: false, data: trained.data });
    bare.model.dispose();
    assertEquals([bare.source, bare.epochs], ["checkpoint", NaN]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan keeps the best model of a first-seed neural cell; cellModel loads it (same scores as training it)", async () => {
  const { plan, cell } = quickSasrecCell();
  const other = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && c.seed !== plan.seeds[0]
  )!;
  const ranDir = Deno.makeTempDirSync();
  const trainedDir = Deno.makeTempDirSync();
  try {
    const [result] = (await runPlan({ ...plan, cells: [cell, other] }, {
      resultsDir: ranDir,
      log: () => {},
    })).cells;
    assertEquals([...Deno.readDirSync(`${ranDir}/checkpoints`)].length, 0);
    assertEquals(
      [...Deno.readDirSync(`${ranDir}/models`)].map((entry) => entry.name),
      [cellModelDir(ranDir, cell).split("/").pop()],
      "only the first seed's cell keeps its model",
    );
    const kept = await cellModel(plan, cell, { resultsDir: ranDir, train: false });
    assertEquals(kept.source, "checkpoint");
    assertEquals(kept.epochs, result.epochsRun);
    const trained = await cellModel(plan, cell, {
      resultsDir: trainedDir,
      train: true,
      onProgress: () => {},
      data: kept.data,
    });
    const { batch } = evaluationBatches(kept.data.split, "test", 8)[0];
    const fromKept = await readAndDispose(kept.model.scoreLast(batch));
    const fromTraining = await readAndDispose(trained.model.scoreLast(batch));
    kept.model.dispose();
    trained.model.dispose();
    assertEquals(Array.from(fromKept), Array.from(fromTraining));
  } finally {
    Deno.removeSync(ranDir, { recursive: true });
    Deno.removeSync(trainedDir, { recursive: true });
  }
});

Deno.test("cellModel trains only under the cell's claim: held elsewhere it throws and writes nothing; the claim is given up after a training, finished or failed", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  // The claim the reproduction (runPlan) takes on this cell before it trains it.
  const reproduction = cellStoreOf(resultsDir);
  const claimPath = reproduction.claimPathOf(cell.key);
  try {
    // Held by another process (on another host here, so that its liveness is not checked).
    assertEquals(reproduction.claim(cell.key), undefined);
    const mine = JSON.parse(Deno.readTextFileSync(claimPath));
    Deno.writeTextFileSync(
      claimPath,
      JSON.stringify({ ...mine, pid: 4242, hostname: "elsewhere", token: "another" }),
    );
    const held = await assertRejects(
      () => cellModel(plan, cell, { resultsDir, train: true, onProgress: () => {} }),
      Error,
      `another process is training ${cell.key} now`,
    );
    assert(held.message.includes(claimPath), held.message);
    assert(held.message.includes("held by process 4242 on elsewhere"), held.message);
    assert(held.message.includes("Wait for it to finish, then call again"), held.message);
    assert(!pathExists(`${resultsDir}/models`), "nothing written while another process trains");
    assertEquals(reproduction.claimOf(cell.key)?.hostname, "elsewhere", "its claim is left alone");
    Deno.writeTextFileSync(claimPath, JSON.stringify(mine));
    reproduction.release(cell.key);

    // Held by this process (an earlier call in the same kernel, not awaited): said so, not
    // "another process", which would send the user looking for one that does not exist.
    assertEquals(reproduction.claim(cell.key), undefined);
    const ours = await assertRejects(
      () => cellModel(plan, cell, { resultsDir, train: true, onProgress: () => {} }),
      Error,
      `this process is training ${cell.key} now`,
    );
    assert(ours.message.includes(claimPath), ours.message);
    assert(ours.message.includes(`held by process ${Deno.pid}`), ours.message);
    assert(ours.message.includes("Wait for that call to finish (await it)"), ours.message);
    assert(!ours.message.includes("another process"), ours.message);
    assert(!pathExists(`${resultsDir}/models`), "nothing written while this process trains it");
    assertEquals(reproduction.claimOf(cell.key)?.pid, Deno.pid, "the claim is left alone");
    reproduction.release(cell.key);

    // A training that fails gives the claim up (and keeps its epoch checkpoints to resume from).
    await assertRejects(
      () =>
        cellModel(plan, cell, {
          resultsDir,
          train: true,
          onProgress: () => {
            throw new Error("stopped by the test");
          },
        }),
      Error,
      "stopped by the test",
    );
    assertEquals(reproduction.claimOf(cell.key), undefined);

    // Trained under the claim (this process's, refreshed at each epoch), given up once done.
    const claimsSeen: (number | undefined)[] = [];
    const trained = await cellModel(plan, cell, {
      resultsDir,
      train: true,
      onProgress: () => claimsSeen.push(reproduction.claimOf(cell.key)?.pid),
    });
    trained.model.dispose();
    assertEquals(trained.source, "trained");
    assert(claimsSeen.length > 0, "it trained epochs");
    assertEquals(claimsSeen, claimsSeen.map(() => Deno.pid));
    assertEquals(reproduction.claimOf(cell.key), undefined);

    // A kept model loads without the claim, even while another process holds it.
    assertEquals(reproduction.claim(cell.key), undefined);
    const loaded = await cellModel(plan, cell, { resultsDir, train: true, data: trained.data });
    loaded.model.dispose();
    assertEquals(loaded.source, "checkpoint");
    reproduction.release(cell.key);
  } finally {
    reproduction.release(cell.key);
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel takes over the stale claim of a process that is gone and trains", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  const store = cellStoreOf(resultsDir);
  try {
    // A killed process's claim: its heartbeat stopped an hour ago.
    assertEquals(store.claim(cell.key), undefined);
    const claimPath = store.claimPathOf(cell.key);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const claim = JSON.parse(Deno.readTextFileSync(claimPath));
    Deno.writeTextFileSync(
      claimPath,
      JSON.stringify({
        ...claim,
        pid: 999_999_999,
        token: "gone",
        since: hourAgo,
        heartbeat: hourAgo,
      }),
    );
    const trained = await cellModel(plan, cell, { resultsDir, train: true, onProgress: () => {} });
    trained.model.dispose();
    assertEquals(trained.source, "trained");
    assertEquals(store.claimOf(cell.key), undefined);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: a kept model refused on loading, or a training refused at its start, leaves no tensor behind", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const { model } = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
    const directory = cellModelDir(resultsDir, cell);
    Deno.mkdirSync(directory, { recursive: true });
    // A kept model of another dataset: refused when loaded.
    await saveModelCheckpoint(`${directory}/best`, model, { datasetFingerprint: "another" });
    // A stopped training's last checkpoint without the trainer's state: the resume refuses it.
    const fingerprint = data.split.dataset.metadata.fingerprint;
    await saveModelCheckpoint(`${directory}/last`, model, { datasetFingerprint: fingerprint });
    model.dispose();
    const tensors = tf.memory().numTensors;
    Deno.writeTextFileSync(`${directory}/training.json`, "{}");
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, data, train: false }),
      Error,
      "another",
    );
    assertEquals(tf.memory().numTensors, tensors, "the model built to load is disposed");
    Deno.removeSync(`${directory}/training.json`);
    // Without training, the stopped training is named; a last checkpoint without the trainer's
    // state counts no epoch done.
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, data, train: false }),
      Error,
      `cellModel: the training of ${cell.key} in ${directory} was stopped after epoch 0 of at most`,
    );
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, data, train: true, onProgress: () => {} }),
      Error,
      `${directory}/last.json: no field "trainerState" to resume from`,
    );
    assertEquals(tf.memory().numTensors, tensors, "the model built to train is disposed");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: a cell still waiting for its selection is refused by name, before anything is read", async () => {
  const plan = planExperiments("quick");
  const waiting = plan.cells.find((c) => c.waitsFor && c.system.kind === "neural")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    await assertRejects(
      () => cellModel(plan, waiting, { resultsDir, train: false }),
      Error,
      `cellModel: ${waiting.key} waits for the selection of ${waiting.waitsFor!.join(", ")}`,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
