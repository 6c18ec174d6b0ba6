/**
 * The model a notebook explains (05, and the README's figure): full mode reads the reproduction's
 * kept model from the results of record (the selected trial's, or the copy under the cell's own
 * name that `.gitignore` lets be committed) and trains nothing; quick mode says on the page that
 * its model is barely trained.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import {
  cellModel,
  cellModelDir,
  keepCellModelUnderOwnName,
  keptCellModelDir,
} from "../../lib/experiments/cell_model.ts";
import { prepareDataset, type PreparedDataset } from "../../lib/experiments/datasets.ts";
import { cellsOf } from "../../lib/experiments/plan.ts";
import { cellStoreOf } from "../../lib/experiments/mod.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { buildCellModel } from "../../lib/experiments/run_cell.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { explainedCell, notebookCellModel, notebookPlan } from "../../lib/notebook/plan_cells.ts";
import { isIgnoredByGit } from "../_git_ignore.ts";

await initBackend({ verbose: false });
// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/notebook_model_test.ts");

const root = new URL("../../", import.meta.url).pathname;

/** Writes an (untrained) model of `cell` as a kept model under `dir`; returns its test scores. */
async function keepUntrainedModel(
  cell: PlannedCell,
  data: PreparedDataset,
  dir: string,
): Promise<number[]> {
  const { model } = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
  Deno.mkdirSync(dir, { recursive: true });
  await saveModelCheckpoint(`${dir}/best`, model, {
    datasetFingerprint: data.split.dataset.metadata.fingerprint,
  });
  Deno.writeTextFileSync(`${dir}/training.json`, JSON.stringify({ epochsDone: 7, bestEpoch: 4 }));
  const scores = await testScores(data, model);
  model.dispose();
  return scores;
}

async function testScores(
  data: PreparedDataset,
  model: { scoreLast: (batch: never) => unknown },
): Promise<number[]> {
  const { batch } = evaluationBatches(data.split, "test", 8)[0];
  return Array.from(await readAndDispose(model.scoreLast(batch as never) as never));
}

async function captureLog<T>(run: () => Promise<T>): Promise<{ value: T; log: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    return { value: await run(), log: lines.join("\n") };
  } finally {
    console.log = original;
  }
}

Deno.test(".gitignore: of the kept models, only the explained Demure-SASRec cells' can be committed", () => {
  const plan = notebookPlan("full");
  const explained = explainedCell(plan);
  assertEquals(explained.key, "full/MovieLens/Demure-SASRec/seed=0");
  const synthetic = cellsOf(plan, "main").find((cell) =>
    cell.dataset.kind === "synthetic" && cell.systemName === "Demure-SASRec" &&
    cell.seed === plan.seeds[0]
  )!;
  for (const cell of [explained, synthetic]) {
    const dir = cellModelDir(RECORDS_DIR.full, cell);
    for (const file of ["best.json", "best.abc-1-2.safetensors", "training.json"]) {
      assertEquals(isIgnoredByGit(`${dir}/${file}`), false, `${dir}/${file} must be committable`);
    }
    assertEquals(isIgnoredByGit(`${dir}/last.json`), true, "a model's last epoch is not committed");
  }
  const others = [
    cellModelDir(RECORDS_DIR.full, { key: "full/MovieLens/Demure-SASRec/trial=0/seed=0" }),
    cellModelDir(RECORDS_DIR.full, { key: "full/MovieLens/SASRec-MM/seed=0" }),
    cellModelDir(RECORDS_DIR.full, { key: "full/MovieLens/Demure-SASRec/seed=1" }),
    `${cellModelDir(RECORDS_DIR.full, explained)}.staging`,
    cellModelDir(RECORDS_DIR.quick, { key: "quick/MovieLens/Demure-SASRec/seed=0" }),
  ];
  for (const dir of others) assertEquals(isIgnoredByGit(`${dir}/best.json`), true, dir);
});

/** The synthetic twin of the explained cell: its selection is recorded, its data is cheap. */
function syntheticTwinOfExplained(plan: ExperimentPlan): PlannedCell {
  return cellsOf(plan, "main").find((candidate) =>
    candidate.dataset.kind === "synthetic" && candidate.systemName === "Demure-SASRec" &&
    candidate.seed === plan.seeds[0]
  )!;
}

Deno.test("notebookCellModel (full): loads the selected trial's kept model, then its copy under the cell's name; trains nothing", async () => {
  const plan = notebookPlan("full");
  const cell = syntheticTwinOfExplained(plan);
  assertEquals(typeof cell.sameAs, "string", "the records select the synthetic Demure-SASRec");
  const resultsDir = Deno.makeTempDirSync();
  try {
    await assertRejects(
      () => notebookCellModel(plan, cell, { resultsDir }),
      Error,
      `no checkpoint ${cellModelDir(resultsDir, cell)}/best.json`,
    );
    assertEquals(keptCellModelDir(resultsDir, cell), undefined, "nothing was trained");
    const data = await prepareDataset(cell.dataset);
    const trial = cellModelDir(resultsDir, { key: cell.sameAs! });
    const expected = await keepUntrainedModel(cell, data, trial);

    const fromTrial = await captureLog(() => notebookCellModel(plan, cell, { resultsDir }));
    assertEquals(fromTrial.value.source, "checkpoint");
    assertEquals(fromTrial.value.checkpoint, `${trial}/best`);
    assertEquals(fromTrial.value.epochs, 7);
    assertEquals(await testScores(data, fromTrial.value.model), expected);
    fromTrial.value.model.dispose();
    assertEquals(fromTrial.log.includes("QUICK MODE"), false);

    const kept = keepCellModelUnderOwnName(resultsDir, cell);
    assertEquals(kept, { dir: cellModelDir(resultsDir, cell), copiedFrom: trial });
    const fromOwn = await notebookCellModel(plan, cell, { resultsDir });
    assertEquals(fromOwn.checkpoint, `${cellModelDir(resultsDir, cell)}/best`);
    assertEquals(fromOwn.epochs, 7);
    assertEquals(await testScores(data, fromOwn.model), expected);
    fromOwn.model.dispose();
    assertEquals(keepCellModelUnderOwnName(resultsDir, cell), { dir: kept.dir }, "nothing to copy");

    // From the results folder of the clone that ran the cell (`readme-figure --from`).
    const other = Deno.makeTempDirSync();
    try {
      assertEquals(keepCellModelUnderOwnName(other, cell, resultsDir), {
        dir: cellModelDir(other, cell),
        copiedFrom: kept.dir,
      });
      const copied = await notebookCellModel(plan, cell, { resultsDir: other });
      assertEquals(await testScores(data, copied.model), expected);
      copied.model.dispose();
    } finally {
      Deno.removeSync(other, { recursive: true });
    }
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

const committed = `${root}${cellModelDir(RECORDS_DIR.full, explainedCell(notebookPlan("full")))}`;
const hasCommittedModel = (() => {
  try {
    return Deno.statSync(`${committed}/best.json`).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "notebookCellModel (full): finds the committed model of notebook 05 in the records",
  ignore: !hasCommittedModel,
  fn: async () => {
    const plan: ExperimentPlan = notebookPlan("full");
    const { value: trained, log } = await captureLog(() =>
      notebookCellModel(plan, explainedCell(plan))
    );
    assertEquals(trained.source, "checkpoint");
    assertEquals(trained.checkpoint, `${committed}/best`);
    trained.model.dispose();
    // The page names the model by its path in the repository, not this machine's absolute one.
    const relative = cellModelDir(RECORDS_DIR.full, explainedCell(plan));
    assertStringIncludes(log, `: loaded from ${relative}/best (`);
    assertEquals(log.includes(root), false, log);
  },
});

Deno.test("notebookCellModel (quick): says on the page that the model is barely trained", async () => {
  const plan = notebookPlan("quick");
  const cell = plan.cells.find((candidate) =>
    candidate.dataset.kind === "synthetic" && candidate.systemName === "SASRec-ID" &&
    candidate.seed === plan.seeds[0]
  )!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    await keepUntrainedModel(cell, data, cellModelDir(resultsDir, cell));
    const { value, log } = await captureLog(() => notebookCellModel(plan, cell, { resultsDir }));
    value.model.dispose();
    assertEquals(value.source, "checkpoint");
    assertStringIncludes(
      log,
      `loaded from ${cellModelDir(resultsDir, cell)}/best (7 epochs, cap ${value.maxEpochs})`,
    );
    const batches = cell.training.maxBatchesPerEpoch;
    assertEquals(typeof batches, "number", "the quick plan caps the batches of an epoch");
    assertStringIncludes(
      log,
      `QUICK MODE: this model is barely trained (at most ${value.maxEpochs} epochs of ${batches} ` +
        "batches)",
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("notebookCellModel (quick): a missing model is trained now, not refused (here its claim is held)", async () => {
  // Quick mode trains what it lacks, without DEMURE_RERUN (off in this module); training starts
  // by taking the cell's claim, which a live process holds here, so nothing is trained. Full
  // mode would instead name the missing checkpoint (the test above).
  const plan = notebookPlan("quick");
  const cell = plan.cells.find((candidate) =>
    candidate.dataset.kind === "synthetic" && candidate.systemName === "SASRec-ID" &&
    candidate.seed === plan.seeds[0]
  )!;
  assertEquals(cell.sameAs, undefined, "the quick cell runs itself");
  const resultsDir = Deno.makeTempDirSync();
  try {
    const claim = JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" });
    Deno.writeTextFileSync(cellStoreOf(resultsDir).claimPathOf(cell.key), claim);
    await assertRejects(
      () => notebookCellModel(plan, cell, { resultsDir }),
      Error,
      `cellModel: another process is training ${cell.key} now`,
    );
    assertEquals(keptCellModelDir(resultsDir, cell), undefined, "nothing was trained");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("notebookCellModel (full) with DEMURE_RERUN=1 trains a missing model: here under a claim another process holds", async () => {
  // Without DEMURE_RERUN the full plan trains nothing (the error names the missing checkpoint);
  // with it the model is trained, which starts by taking the cell's claim: held, it is refused.
  // In a process of its own: the environment is shared by the test modules run in parallel.
  const plan = notebookPlan("full");
  const cell = syntheticTwinOfExplained(plan);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = cellStoreOf(resultsDir);
    const claim = JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" });
    for (const key of [cell.key, cell.sameAs!]) {
      Deno.writeTextFileSync(store.claimPathOf(key), claim);
    }
    const module = (path: string) =>
      JSON.stringify(new URL(`../../lib/${path}`, import.meta.url).href);
    const script = [
      `import { initBackend } from ${module("backend/init_backend.ts")};`,
      `import { notebookCellModel, notebookPlan } from ${module("notebook/plan_cells.ts")};`,
      "await initBackend({ verbose: false });",
      'const plan = notebookPlan("full");',
      `const cell = plan.cells.find((c) => c.key === ${JSON.stringify(cell.key)});`,
      `await notebookCellModel(plan, cell, { resultsDir: ${JSON.stringify(resultsDir)} });`,
    ].join("\n");
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      env: { DEMURE_RERUN: "1", DEMURE_BLAS_THREADS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(run.code, 1);
    assertStringIncludes(new TextDecoder().decode(run.stderr), "another process is training");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellModel resumes a selected trial's stopped training under the trial's claim, not the cell's", async () => {
  const plan = notebookPlan("full");
  const cell = syntheticTwinOfExplained(plan);
  const resultsDir = Deno.makeTempDirSync();
  try {
    // The trial's folder holds a training stopped part-way: best and last, no training.json.
    const data = await prepareDataset(cell.dataset);
    const trial = cellModelDir(resultsDir, { key: cell.sameAs! });
    const { model } = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
    Deno.mkdirSync(trial, { recursive: true });
    for (const base of ["best", "last"]) {
      await saveModelCheckpoint(`${trial}/${base}`, model, {
        datasetFingerprint: data.split.dataset.metadata.fingerprint,
      });
    }
    model.dispose();
    // Both claims held by another process: the refusal names the one the training would take.
    const store = cellStoreOf(resultsDir);
    const claim = JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" });
    for (const key of [cell.key, cell.sameAs!]) {
      Deno.writeTextFileSync(store.claimPathOf(key), claim);
    }
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, data, train: true }),
      Error,
      `another process is training ${cell.key} now (the run of ${cell.sameAs}, which ` +
        `${cell.key} reuses): its claim ${store.claimPathOf(cell.sameAs!)}`,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
