/**
 * Behaviour of lib/experiments/cell_model.ts that no other test pinned (mutation round CD): the
 * kept model's folder name, a cell without a model, a kept model that says nothing of how long it
 * trained, what the staging sweep removes, and the claim a reused trial's training is resumed under;
 * the files the refusals of a reused trial's missing or stopped model name (mutation round IM).
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import {
  cellModel,
  cellModelDir,
  keepCellModelUnderOwnName,
  keptCellModelDir,
  removeAbandonedModelCopies,
  replaceKeptModel,
} from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { cellStoreOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";
import { saveUntrainedCheckpoints } from "./_untrained_checkpoints.ts";

await initBackend({ verbose: false });

/**
 * The quick plan's first-seed synthetic SASRec-ID cell as a main-table cell that reuses its
 * selection trial's run (`sameAs`), as a made selection plans it, and that trial's key.
 */
function reusedTrialCell() {
  const { plan, cell: own } = quickSasrecCell();
  const trialKey = `${own.key}/trial=0`;
  return { plan, cell: { ...own, sameAs: trialKey }, trialKey };
}

Deno.test("cellModelDir keeps letters, digits, '=', '.', '_' and '-' of a key and joins each other run as '__'", () => {
  assertEquals(
    cellModelDir("r", { key: "quick/ml-1m.v2(numUsers=160,x=0.5)/SASRec_MM/seed=0" }),
    "r/models/quick__ml-1m.v2__numUsers=160__x=0.5__SASRec_MM__seed=0",
  );
});

Deno.test("cellModel: a cell of no neural model is refused by name, before anything is read or written", async () => {
  const plan = planExperiments("quick");
  const resultsDir = Deno.makeTempDirSync();
  try {
    for (const kind of ["popularity", "item_knn"]) {
      const cell = plan.cells.find((c) => c.system.kind === kind && !c.waitsFor)!;
      for (const train of [false, true]) {
        await assertRejects(
          () => cellModel(plan, cell, { resultsDir, train }),
          Error,
          `cellModel: ${cell.key} is a ${kind} cell, it has no model`,
        );
      }
    }
    assertEquals([...Deno.readDirSync(resultsDir)], [], "nothing written");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: a kept model with neither its last epoch checkpoint nor a training file loads, its epochs unknown (NaN)", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const directory = cellModelDir(resultsDir, cell);
    await saveUntrainedCheckpoints(data, cell, directory, ["best"]);
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals(loaded.source, "checkpoint");
    // Not 0: "trained for 0 epochs" would be a false statement about the model.
    assert(Number.isNaN(loaded.epochs), `epochs ${loaded.epochs}`);
    assertEquals(loaded.maxEpochs, cell.training.maxEpochs);
    assertEquals(pathExists(`${directory}/training.json`), false, "loading writes nothing");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("removeAbandonedModelCopies removes only staging folders: a kept model, or a file named .staging, however old, stays", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const models = `${resultsDir}/models`;
    const kept = `${models}/quick__Synthetic__SASRec-ID__seed=0`;
    const staging = `${kept}.staging`;
    const file = `${models}/notes.staging`;
    for (const folder of [kept, staging]) {
      Deno.mkdirSync(folder, { recursive: true });
      Deno.writeTextFileSync(`${folder}/best.json`, "{}");
    }
    Deno.writeTextFileSync(file, "not a copy");
    const old = new Date(Date.now() - 2 * STALE_TEMPORARY_SECONDS * 1000);
    for (const path of [kept, `${kept}/best.json`, staging, `${staging}/best.json`, file]) {
      Deno.utimeSync(path, old, old);
    }
    const lines: string[] = [];
    removeAbandonedModelCopies(resultsDir, (line) => lines.push(line));
    assertEquals([pathExists(kept), pathExists(staging), pathExists(file)], [true, false, true]);
    assertEquals(lines.length, 1, lines.join("\n"));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel resumes a reused trial's stopped training only under the trial's claim, and names that run when it is held", async () => {
  const { plan, cell, trialKey } = reusedTrialCell();
  const resultsDir = Deno.makeTempDirSync();
  const store = cellStoreOf(resultsDir);
  try {
    const data = await prepareDataset(cell.dataset);
    // The trial's training in its own folder, stopped part-way: its best and last checkpoints.
    const trial = cellModelDir(resultsDir, { key: trialKey });
    await saveUntrainedCheckpoints(data, cell, trial, ["best", "last"]);
    // The trial runs elsewhere now (the reproduction holds its claim); the cell's own is free.
    assertEquals(store.claim(trialKey), undefined);
    const claimPath = store.claimPathOf(trialKey);
    const mine = JSON.parse(Deno.readTextFileSync(claimPath));
    Deno.writeTextFileSync(
      claimPath,
      JSON.stringify({ ...mine, pid: 4242, hostname: "elsewhere", token: "another" }),
    );
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, train: true, data, onProgress: () => {} }),
      Error,
      `cellModel: another process is training ${cell.key} now (the run of ${trialKey}, which ` +
        `${cell.key} reuses): its claim ${claimPath} is held by process 4242 on elsewhere`,
    );
    assertEquals(pathExists(cellModelDir(resultsDir, cell)), false, "nothing trained as its own");
    assertEquals(pathExists(`${trial}/training.json`), false, "the trial's folder is untouched");
    assertEquals(store.claimOf(cell.key), undefined, "the cell's own claim was not taken");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: with no kept model, the refusal of a reused trial's cell names its own file and the trial's, by the trial's key", async () => {
  const { plan, cell, trialKey } = reusedTrialCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const error = await assertRejects(() =>
      cellModel(plan, cell, { resultsDir, train: false, data })
    );
    assertStringIncludes(
      error.message,
      `no checkpoint ${cellModelDir(resultsDir, cell)}/best.json`,
    );
    assertStringIncludes(
      error.message,
      `(nor ${cellModelDir(resultsDir, { key: trialKey })}/best.json, the model of ${trialKey}, ` +
        "whose run it reuses)",
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel: a reused trial's stopped training is refused (train: false) naming the trial's folder and its last epoch checkpoint", async () => {
  const { plan, cell, trialKey } = reusedTrialCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const trial = cellModelDir(resultsDir, { key: trialKey });
    await saveUntrainedCheckpoints(data, cell, trial, ["best", "last"]);
    const error = await assertRejects(() =>
      cellModel(plan, cell, { resultsDir, train: false, data })
    );
    assertStringIncludes(
      error.message,
      `the training of ${cell.key} in ${trial} was stopped after epoch 0 of at most ` +
        `${cell.training.maxEpochs} (${trial}/last.json is there, training.json,`,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("keepCellModelUnderOwnName with nothing kept names the folders it looked in, under the folder it copies from", () => {
  const { cell } = reusedTrialCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const from = `${resultsDir}/elsewhere`;
    const error = assertThrows(() => keepCellModelUnderOwnName(resultsDir, cell, from));
    assertStringIncludes(
      error.message,
      `no kept model of ${cell.key} under ${from}/models (looked for ${
        cellModelDir(from, cell)
      }/best.json and ${cellModelDir(from, { key: cell.sameAs })}/best.json)`,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("replaceKeptModel replaces a kept model whole: nothing of the old one stays", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const modelDir = `${dir}/models/cell`;
    Deno.mkdirSync(modelDir, { recursive: true });
    Deno.writeTextFileSync(`${modelDir}/best.json`, "old");
    Deno.writeTextFileSync(`${modelDir}/old.safetensors`, "old");
    replaceKeptModel(modelDir, (staging) => Deno.writeTextFileSync(`${staging}/best.json`, "new"));
    assertEquals([...Deno.readDirSync(modelDir)].map((entry) => entry.name), ["best.json"]);
    assertEquals(Deno.readTextFileSync(`${modelDir}/best.json`), "new");
    assertEquals(pathExists(`${modelDir}.staging`), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("keptCellModelDir: the cell's own folder without a best checkpoint is no kept model; the reused trial's is taken", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const cell = {
      key: "quick/Synthetic/SASRec-ID/seed=0",
      sameAs: "quick/Synthetic/SASRec-ID/trial=0",
    };
    // What a stopped copy or training can leave: the folder, without best.json.
    Deno.mkdirSync(cellModelDir(resultsDir, cell), { recursive: true });
    const trial = cellModelDir(resultsDir, { key: cell.sameAs });
    Deno.mkdirSync(trial, { recursive: true });
    Deno.writeTextFileSync(
      `${trial}/best.json`,
      JSON.stringify({ weightsFile: "best.safetensors" }),
    );
    Deno.writeTextFileSync(`${trial}/best.safetensors`, "");
    assertEquals(keptCellModelDir(resultsDir, cell), trial);
    assertEquals(keptCellModelDir(resultsDir, { key: cell.key }), undefined);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
