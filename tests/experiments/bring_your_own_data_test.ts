import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { DataError } from "../../lib/data/errors.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { formatProtocol } from "../../lib/eval/protocol.ts";
import {
  type FileDatasetSpec,
  prepareDataset,
  readDatasetFile,
} from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { SETTINGS } from "../../lib/experiments/_plan_settings.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { SYSTEMS, withDemure } from "../../lib/experiments/systems.ts";
import { FEATURE_NAME_ALLOWED } from "../../lib/experiments/dataset_spec.ts";

await initBackend({ verbose: false });

// 48 users, 30 items: the same histories as a sequence file and as RecBole atomic files (shuffled
// lines, sorted back by timestamp), with genre and vector columns and an extra dense feature file.
const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;
const sequence: FileDatasetSpec = {
  kind: "file",
  path: `${FIXTURES}tiny.txt`,
  format: "sequence",
  features: [{ name: "image", path: `${FIXTURES}tiny_image.txt` }],
};
const recbole: FileDatasetSpec = { kind: "file", path: `${FIXTURES}tiny`, format: "recbole" };
const tinyTraining = { maxEpochs: 2, batchSize: 16, maxBatchesPerEpoch: 2 };

/** Each user's history as external item ids. */
function externalHistories(spec: FileDatasetSpec) {
  const data = readDatasetFile(spec);
  return new Map(
    data.userIds.map((user, u) => [user, Array.from(data.sequences[u], (i) => data.itemIds[i])]),
  );
}

Deno.test("a sequence file with a feature file goes through the protocol to a tiny cell", async () => {
  const data = await prepareDataset(sequence);
  assertEquals(data.label, "tiny");
  assertEquals(data.split.dataset.modalities.map((m) => m.name), ["id", "image"]);
  assertStringIncludes(data.split.dataset.metadata.preprocessing.join(" "), "5-core");
  assertStringIncludes(data.statistics, "modality image");
  const cell = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
    seed: 0,
    model: { dim: 8 },
    training: tinyTraining,
    onProgress: () => {},
  });
  assertEquals(cell.dataset, "tiny");
  assert(Number.isFinite(cell.test["NDCG@10"]) && Number.isFinite(cell.valid["NDCG@10"]));
  assertEquals(cell.protocol.rankingProtocol, "history_excluded");
  assertStringIncludes(formatProtocol(cell.protocol), "[history_excluded]");
  assertEquals(cell.testOtherRanking?.ranking, "history_kept");
});

Deno.test("RecBole atomic files: .item columns become modalities, same histories as the sequence file", async () => {
  const data = await prepareDataset(recbole);
  const modalities = data.split.dataset.modalities;
  assertEquals(modalities.map((m) => [m.name, m.kind]), [
    ["id", "id"],
    ["genre", "multi_hot"],
    ["vector", "dense"],
  ]);
  assert(modalities[2].present.includes(0), "empty vector cells are missing, not zeros");
  assertEquals(externalHistories(recbole), externalHistories({ ...sequence, features: [] }));
  // A warm-up within the 4 steps of the tiny training (a longer one is refused: it never denoises).
  const demure = withDemure("Demure-SASRec", { warmupSteps: 2 });
  const cell = await runCell(data, demure, "Demure-SASRec", {
    seed: 0,
    model: { dim: 8 },
    training: { ...tinyTraining, ranking: "history_kept" },
    onProgress: () => {},
  });
  assertEquals(cell.protocol.rankingProtocol, "history_kept");
  assertEquals(cell.testOtherRanking?.ranking, "history_excluded");
  assert(Number.isFinite(cell.test["NDCG@10"]));
});

Deno.test("an empty feature file through --features' route: the file and that it is empty", () => {
  // This route cannot give a width: the message said "no dim given" there as well.
  const path = `${Deno.makeTempDirSync()}/empty.txt`;
  Deno.writeTextFileSync(path, "\n\n");
  const error = assertThrows(
    () => readDatasetFile({ ...sequence, features: [{ name: "image", path }] }),
    DataError,
  ) as DataError;
  assertEquals(error.file, path);
  assertStringIncludes(error.message, `${path}:1: `);
  assertStringIncludes(error.detail, "the feature file is empty (no rows, or blank lines only)");
  Deno.removeSync(path);
});

Deno.test("bad imported data names the file, the line and the field; bad settings name the setting", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/f.txt`, "i00 0.1 0.2\ni01 0.1\n");
  const error = assertThrows(
    () => readDatasetFile({ ...sequence, features: [{ name: "f", path: `${dir}/f.txt` }] }),
    DataError,
  ) as DataError;
  assertEquals([error.file, error.line, error.field], [`${dir}/f.txt`, 2, "value[1]"]);
  assertThrows(
    () => readDatasetFile({ kind: "file", path: `${FIXTURES}tiny.txt`, format: "csv" as never }),
    SettingError,
    'FileDatasetSpec.format is "csv"; allowed: ',
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("data too small for the protocol's 5-core filter is the file's error, not a setting's", async () => {
  // k is the protocol's and no option sets it: "KCoreConfig.k is 5" named nothing to change.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/small.txt`, "u1 a b c\nu2 a b d\nu3 c d a\n");
    Deno.writeTextFileSync(`${dir}/small.inter`, "user_id:token\titem_id:token\nu1\ta\nu1\tb\n");
    for (
      const [spec, file, field, kept] of [
        [
          { path: `${dir}/small.txt`, format: "sequence" },
          `${dir}/small.txt`,
          "user",
          "none of 3 users and 4 items (the longest history has 3)",
        ],
        [
          { path: `${dir}/small`, format: "recbole" },
          `${dir}/small.inter`,
          "user_id:token",
          "none of 1 users and 2 items (the longest history has 2)",
        ],
        // Named by its .inter, the files are still named by their base's .inter.
        [
          { path: `${dir}/small.inter`, format: "recbole" },
          `${dir}/small.inter`,
          "user_id:token",
          "none of 1 users and 2 items (the longest history has 2)",
        ],
      ] as const
    ) {
      const error = await assertRejects(
        () => prepareDataset({ kind: "file", ...spec }),
        DataError,
      ) as DataError;
      assertEquals([error.file, error.line, error.field], [file, 0, field]);
      assertStringIncludes(error.message, "too little data for the protocol's 5-core filter");
      // What the file holds, so that the user sees how far from 5 it is.
      assertStringIncludes(error.message, `it keeps ${kept}`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a feature file's name is a SettingError where it enters: empty, or with ',' or '='", async () => {
  const image = `${FIXTURES}tiny_image.txt`;
  // An empty name was accepted by the library (the command line refused it) and made a modality
  // named "".
  for (const name of ["", "a,b", "a=b"]) {
    const spec: FileDatasetSpec = { ...sequence, features: [{ name, path: image }] };
    const error = await assertRejects(() => prepareDataset(spec), SettingError) as SettingError;
    assertEquals(
      [error.setting, error.value, error.allowed],
      ["FileDatasetSpec.features[0].name", name, FEATURE_NAME_ALLOWED],
    );
    assertThrows(
      () => planExperiments("quick", [0], { dataset: spec }),
      SettingError,
      "FileDatasetSpec.features[0].name",
    );
  }
  assertThrows(
    () => readDatasetFile({ ...sequence, features: [{ name: "image", path: "" }] }),
    SettingError,
    'FileDatasetSpec.features[0].path is ""; allowed: a file path',
  );
});

Deno.test("a feature file's entry with a name it does not have is a SettingError, not ignored", async () => {
  // `dim` is readDenseFeatures' setting, not the spec's: it was dropped without a word, so a
  // width the user asked to be checked was not.
  const image = `${FIXTURES}tiny_image.txt`;
  const withDim = { ...sequence, features: [{ name: "image", path: image, dim: 3 }] };
  const error = await assertRejects(
    () => prepareDataset(withDim as FileDatasetSpec),
    SettingError,
  ) as SettingError;
  assertEquals([error.setting, error.value], ["FileDatasetSpec.features[0].dim", 3]);
  assertStringIncludes(error.allowed, "one of the settings name, path");
  assertThrows(
    () => planExperiments("quick", [0], { dataset: withDim as FileDatasetSpec }),
    SettingError,
    "FileDatasetSpec.features[0].dim",
  );
  // An entry that is not an object says so instead of a TypeError.
  assertThrows(
    () => readDatasetFile({ ...sequence, features: [image as never] }),
    SettingError,
    "FileDatasetSpec.features[0]",
  );
});

Deno.test("the quick grid runs on an imported dataset and reports both ranking protocols", async () => {
  const plan = planExperiments("quick", [0], { dataset: recbole });
  assert(plan.cells.every((c) => c.dataset === recbole && !c.scoreAttribution));
  assertEquals(plan.noiseFractions, []);
  const names = plan.cells.map((c) => c.systemName);
  for (const name of [...plan.mainSystems, ...plan.ablationSystems]) assert(names.includes(name));
  const small = {
    ...plan,
    cells: plan.cells.filter((c) => ["Pop", "SASRec-ID"].includes(c.systemName)),
  };
  const resultsDir = Deno.makeTempDirSync();
  const outcome = await runPlan(small, { resultsDir, log: () => {}, onEpoch: () => {} });
  const summary = summarise(outcome);
  assertEquals(Object.keys(summary.main), ["tiny"]);
  assertEquals(summary.main.tiny.rows.map((r) => r.system), ["Pop", "SASRec-ID"]);
  assertEquals(summary.otherRanking.tiny.ranking, "history_kept");
  const markdown = summaryMarkdown(summary);
  assertStringIncludes(markdown, "## Main table: tiny");
  assertStringIncludes(markdown, "[history_kept]");
  assert(!markdown.includes("Noise level"), "no synthetic-only sections for imported data");
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan says when a Demure run stopped before its warm-up ended (its row is its backbone's)", async () => {
  // What a small dataset does in full mode (an epoch of one batch, early stopping after about
  // ten), made quick: early stopping ends the run before its warm-up does. (A warm-up of more
  // steps than the whole run is refused before training.)
  const plan = planExperiments("quick", [0], {
    dataset: recbole,
    datasetTraining: { maxEpochs: 40, patience: 1 },
    demure: { warmupSteps: 39 },
  });
  const small = {
    ...plan,
    cells: plan.cells.filter((c) => ["SASRec-MM", "Demure-SASRec"].includes(c.systemName)),
  };
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  const outcome = await runPlan(small, {
    resultsDir,
    log: (line) => lines.push(line),
    onEpoch: () => {},
  });
  Deno.removeSync(resultsDir, { recursive: true });
  const demure = outcome.cells.find((c) => c.system === "Demure-SASRec")!;
  assertEquals([demure.demure?.attributed, demure.demure?.reused, demure.demure?.random], [
    0,
    0,
    0,
  ]);
  const lineOf = (system: string) => lines.find((line) => line.includes(`/${system}/seed=0:`))!;
  assertStringIncludes(lineOf("Demure-SASRec"), "denoising never started");
  assert(!lineOf("SASRec-MM").includes("denoising"), lineOf("SASRec-MM"));
});

Deno.test("runPlan refuses a warm-up the file's run could never leave before any cell trains", async () => {
  // The fixture has one batch an epoch: 1 epoch is 1 step, below the quick warm-up of 2 steps.
  // Each Demure cell used to fail on its own, after the cells before it had trained.
  const plan = planExperiments("quick", [0], {
    dataset: recbole,
    datasetTraining: { maxEpochs: 1 },
  });
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  try {
    const error = await assertRejects(
      () => runPlan(plan, { resultsDir, log: (line) => lines.push(line), onEpoch: () => {} }),
      SettingError,
    );
    assertStringIncludes(
      error.message,
      "DemureConfig.warmupSteps is 2; allowed: an integer below the run's 1 training steps " +
        "(TrainerConfig.maxEpochs 1 x 1 batch an epoch)",
    );
    assertStringIncludes(error.message, "; cell quick/tiny/Demure-SASRec/seed=0 on tiny");
    assert(!lines.some((line) => line.includes("reproduction:")), lines.join("\n"));
    assertEquals([...Deno.readDirSync(resultsDir)].map((entry) => entry.name), []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
  // Three epochs of one step leave the 2-step warm-up: accepted (the plan's quick default).
  const fits = planExperiments("quick", [0], { dataset: recbole });
  const { checkCellsFitData } = await import("../../lib/experiments/cells_fit_check.ts");
  const data = await prepareDataset(recbole);
  await checkCellsFitData(fits.cells, () => Promise.resolve(data));
});

Deno.test("plan options: a dataset's own trainer settings and the ranking join the cells' settings", () => {
  const plain = planExperiments("quick");
  assert(plain.cells.every((c) => !("ranking" in c.training)), "default: stored cells stay valid");
  assertEquals(planExperiments("quick", undefined, { ranking: "history_excluded" }), plain);
  const kept = planExperiments("quick", [0], { dataset: recbole, ranking: "history_kept" });
  assert(kept.cells.every((c) => c.training.ranking === "history_kept"));
  // By default an imported dataset stops as the embedded ones do in the full plan (not at the
  // trainer's 30 epochs and patience 4, a cap that bound and a patience that stopped on plateaus).
  const protocol = planExperiments("full", [0], { dataset: recbole });
  const { maxEpochs, patience } = protocol.datasets.file;
  assertEquals({ maxEpochs, patience }, planExperiments("full").datasetTraining.movielens);
  assertEquals({ maxEpochs, patience }, { maxEpochs: 200, patience: 10 });
  assert(protocol.cells.every((c) => c.training.maxEpochs === 200 && c.training.patience === 10));
  // The quick plan (CI's grid) stops an imported dataset as its embedded ones: 3 epochs, patience 3.
  const quick = planExperiments("quick", [0], { dataset: recbole });
  const quickStopping = {
    maxEpochs: quick.datasets.file.maxEpochs,
    patience: quick.datasets.file.patience,
  };
  assertEquals(planExperiments("quick").datasetTraining.synthetic, quickStopping);
  assertEquals(quickStopping, { maxEpochs: 3, patience: 3 });
  assert(quick.cells.every((c) => c.training.maxEpochs === 3 && c.training.patience === 3));
  const longer = planExperiments("full", [0], {
    dataset: recbole,
    datasetTraining: { maxEpochs: 300, patience: 10 },
  });
  assertEquals(longer.datasetTraining.file, { maxEpochs: 300, patience: 10 });
  assert(longer.cells.every((c) => c.training.maxEpochs === 300 && c.training.patience === 10));
  const summary = summarise({
    plan: longer,
    cells: [],
    byKey: new Map(),
    datasets: new Map(),
    pending: [],
    failed: [],
    handedOver: [],
  });
  assertStringIncludes(summary.protocol.join("\n"), "10 on tiny (at most 300 epochs)");
  assertThrows(
    () => planExperiments("quick", [0], { datasetTraining: { patience: 10 } }),
    Error,
    "only with an imported dataset",
  );
  // A warm-up the dataset's patience always ends first: refused when the plan is built, not
  // after hours of cells that would train their backbone alone under Demure's name.
  assertThrows(
    () =>
      planExperiments("quick", [0], {
        dataset: recbole,
        datasetTraining: { patience: 2 },
        demure: { warmupBy: "plateau", warmupEpochs: 2 },
      }),
    SettingError,
    "DemureConfig.warmupEpochs is 2; allowed: an integer below TrainerConfig.patience (2)",
  );
});

Deno.test("plan options: a dataset's own trainer settings beyond its stopping reach every file cell", () => {
  // The stopping also reaches the cells through the file's DatasetPlan, so only another setting
  // (here the batch) shows that the cells take the dataset's own trainer settings at all.
  const plain = planExperiments("quick", [0], { dataset: recbole });
  assert(plain.cells.every((c) => c.training.batchSize === SETTINGS.quick.training.batchSize));
  const own = planExperiments("quick", [0], {
    dataset: recbole,
    datasetTraining: { batchSize: 16 },
  });
  assert(own.cells.length > 0);
  for (const cell of own.cells) assertEquals(cell.training.batchSize, 16, cell.key);
});

Deno.test("an imported dataset's plan runs the non-neural systems at the first seed only", () => {
  const plan = planExperiments("quick", [3, 4], { dataset: recbole });
  const main = plan.cells.filter((cell) => cell.experiments.includes("main"));
  for (const cell of main) {
    const seeds = SYSTEMS[cell.systemKey].kind === "neural" ? [3, 4] : [3];
    assertEquals(
      main.filter((c) => c.systemKey === cell.systemKey).map((c) => c.seed),
      seeds,
      cell.systemKey,
    );
  }
  assertEquals(main.some((cell) => SYSTEMS[cell.systemKey].kind !== "neural"), true);
});

Deno.test("a feature file's modality names that file (not the dataset's) as its source", () => {
  const image = readDatasetFile(sequence).modalities.find((m) => m.name === "image");
  assertEquals(
    [image?.provenance.source, image?.provenance.normalisation],
    [`${FIXTURES}tiny_image.txt`, "none"],
  );
});
