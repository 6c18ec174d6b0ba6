import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { TrainingDivergedError } from "../../lib/train/config.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import {
  registerBlasKernels,
  unregisterBlasKernels,
} from "../../lib/backend/kernels/blas_matmul.ts";
import { loadOpenBlas } from "../../lib/backend/kernels/_openblas.ts";
import {
  buildCellModel,
  cellEnvironment,
  type CellResult,
  type CellSettings,
  checkingFirst,
  denoisingNeverStarted,
  endedWithBackboneWeights,
  lastWarmupEpoch,
  runCell,
} from "../../lib/experiments/run_cell.ts";
import { type SystemName, SYSTEMS } from "../../lib/experiments/systems.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { storedCellResult } from "./_cell_result.ts";

await initBackend({ verbose: false });

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

/** A Demure-family record with these counters, warm-up end and best epoch. */
function demureRecord(bestEpoch: number, warmupEndedAfterEpoch?: number, masked = 10): CellResult {
  return {
    ...storedCellResult(),
    bestEpoch,
    demure: {
      attributed: masked,
      reused: 0,
      random: 0,
      ...(warmupEndedAfterEpoch !== undefined ? { warmupEndedAfterEpoch } : {}),
    },
  } as unknown as CellResult;
}

Deno.test("endedWithBackboneWeights: a best epoch in the warm-up, or no masked batch, is the backbone's", () => {
  assert(endedWithBackboneWeights(demureRecord(4, 4)), "the warm-up's last epoch");
  assert(endedWithBackboneWeights(demureRecord(2, 4)), "an earlier warm-up epoch");
  assert(!endedWithBackboneWeights(demureRecord(5, 4)), "the first denoising epoch");
  assert(!endedWithBackboneWeights(demureRecord(1, 0)), "no warm-up at all (epochs:0)");
  assert(!endedWithBackboneWeights(demureRecord(3)), "a warm-up by steps records no epoch");
  assert(endedWithBackboneWeights(demureRecord(9, undefined, 0)), "denoising never started");
  assert(!endedWithBackboneWeights({ ...storedCellResult(), bestEpoch: 1 }), "not a Demure run");
});

Deno.test("endedWithBackboneWeights: a warm-up by steps ends with the leading epochs without masks", () => {
  // Epochs 1-2 masked nothing (every rate 0), epoch 3 did.
  const withRates = (bestEpoch: number, rates: Record<string, number>[]) =>
    ({
      ...demureRecord(bestEpoch),
      history: rates.map((_, i) => ({ epoch: i + 1 })),
      noiseRateByEpoch: rates,
    }) as unknown as CellResult;
  const rates = [{ text: 0, image: 0 }, { text: 0, image: 0 }, { text: 0.2, image: 0 }];
  assertEquals(lastWarmupEpoch(withRates(2, rates)), 2);
  assert(endedWithBackboneWeights(withRates(2, rates)));
  assert(!endedWithBackboneWeights(withRates(3, rates)));
  assertEquals(lastWarmupEpoch(withRates(1, [{ text: 0.1, image: 0 }])), 0, "masked at once");
  // A record resumed before 2026-12-04 holds fewer epochs of rates than of history: it cannot tell.
  const resumed = { ...withRates(1, rates), history: [1, 2, 3, 4].map((epoch) => ({ epoch })) };
  assertEquals(lastWarmupEpoch(resumed as CellResult), undefined);
  assert(!endedWithBackboneWeights(resumed as CellResult));
});

Deno.test("runCell: a run stopped by its wall-time budget is cap bound, not converged", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  // A clock that jumps 100 s at every reading: the 1 s budget runs out in the first epoch however
  // fast the machine is, long before patience could end the run.
  const realNow = performance.now;
  let fakeMs = 0;
  const setNow = (now: () => number) =>
    Object.defineProperty(performance, "now", { value: now, configurable: true, writable: true });
  setNow(() => (fakeMs += 100_000));
  try {
    const cell = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
      seed: 0,
      model: { dim: 8 },
      training: {
        maxEpochs: 20,
        patience: 10,
        batchSize: 16,
        maxBatchesPerEpoch: 2,
        maxWallSeconds: 1,
      },
      onProgress: () => {},
    });
    assertEquals(cell.epochsRun, 1);
    assert(cell.capBound, "the budget, not convergence, ended the run");
  } finally {
    setNow(realNow);
  }
});

Deno.test("runCell: a bad seed is a SettingError naming CellSettings.seed, for every kind of system", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  // Reported as the evaluation's setting (`EvaluationConfig.seed is -1`), or the trainer's.
  for (const name of ["Pop", "SASRec-MM"] as const) {
    for (const seed of [-1, 0.5, NaN]) {
      const error = await runCell(data, SYSTEMS[name], name, { seed, model: { dim: 8 } }).then(
        () => undefined,
        (error: Error) => error,
      );
      assertEquals(
        [error?.name, error?.message],
        [
          "SettingError",
          `CellSettings.seed is ${seed}; allowed: an integer >= 0 and <= 2147483647`,
        ],
        name,
      );
    }
  }
});

Deno.test("runCell: a model or trainer setting the cell would replace is a SettingError", async () => {
  // Each was overwritten without a word: SASRec-MM with `backbone: "gru4rec"` trained a SASRec
  // (the same test NDCG@10 as without it), `training.seed` 5 trained at the cell's seed.
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const cases: [SystemName, CellSettings, string][] = [
    [
      "SASRec-MM",
      { seed: 0, model: { backbone: "gru4rec" } },
      'CellSettings.model.backbone is "gru4rec"; allowed: "sasrec", the system\'s backbone',
    ],
    [
      "SASRec-ID",
      { seed: 0, model: { modalities: ["id", "image"] } },
      "CellSettings.model.modalities",
    ],
    [
      "SASRec-MM",
      { seed: 0, model: { seed: 9 } },
      "CellSettings.model.seed is 9; allowed: 0, the cell",
    ],
    [
      "SASRec-MM",
      { seed: 1, model: { maxLength: 7 } },
      `CellSettings.model.maxLength is 7; allowed: ${data.split.maxLength}, the split's`,
    ],
    [
      "SASRec-MM",
      { seed: 1, training: { seed: 5 } },
      "CellSettings.training.seed is 5; allowed: 1,",
    ],
  ];
  const before = tf.memory().numTensors;
  for (const [name, settings, message] of cases) {
    const error = await runCell(data, SYSTEMS[name], name, { ...settings, onProgress: () => {} })
      .then(() => undefined, (e: Error) => e);
    assert(error instanceof SettingError, `${message}: got ${error}`);
    assert(error.message.startsWith(message), error.message);
    assert(error.message.endsWith("or leave it out"), error.message);
  }
  assertEquals(tf.memory().numTensors, before);
  // The values the cell uses anyway are accepted (a plan's cells pass none of them).
  const same = { backbone: "sasrec", seed: 1, maxLength: data.split.maxLength } as const;
  const result = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
    seed: 1,
    model: { ...same, dim: 8 },
    training: { seed: 1, maxEpochs: 1 },
    onProgress: () => {},
  });
  assertEquals(result.seed, 1);
});

Deno.test("buildCellModel: refuses what the cell replaces; an ID-only system's modalities only", async () => {
  // buildCellModel is notebookCellModel's path too, which runCell's own check does not cover.
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
    features: [{ name: "image", path: `${FIXTURES}tiny_image.txt` }],
  });
  const build = (name: SystemName, settings: CellSettings) =>
    buildCellModel(data, SYSTEMS[name], settings);
  const before = tf.memory().numTensors;
  assertThrows(
    () => build("SASRec-MM", { seed: 0, model: { backbone: "gru4rec" } }),
    SettingError,
    "CellSettings.model.backbone",
  );
  // An ID-only system trains on its ID embedding alone: one other modality, or none, is refused
  // too (each was replaced by ["id"] without a word).
  for (const modalities of [["image"], ["id", "image"], []] as const) {
    assertThrows(
      () => build("SASRec-ID", { seed: 0, model: { modalities: [...modalities] } }),
      SettingError,
      "CellSettings.model.modalities",
    );
  }
  assertEquals(tf.memory().numTensors, before);
  // A multimodal system takes the modalities it is given (a setting the cell does not replace).
  const { model } = build("SASRec-MM", { seed: 0, model: { dim: 8, modalities: ["image"] } });
  try {
    assertEquals(model.modalityNames, ["image"]);
  } finally {
    model.dispose();
  }
});

Deno.test("runCell: a training that fails leaves no tensor behind (the model it built is disposed)", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const before = tf.memory().numTensors;
  // The highest learning rate Adam accepts: the loss explodes within the first steps.
  const optimizer = { ...DEFAULT_ADAM_CONFIG, learningRate: 10 };
  await assertRejects(
    () =>
      runCell(data, SYSTEMS["Demure-SASRec"], "Demure-SASRec", {
        seed: 0,
        model: { dim: 8 },
        // More steps than Demure's warm-up of 30 (3 an epoch): a shorter run is refused before
        // it trains (it could never denoise).
        training: { maxEpochs: 11, batchSize: 16, optimizer },
        onProgress: () => {},
      }),
    TrainingDivergedError,
  );
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("runCell: the recorded validation metrics are the best epoch's validation, not test", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const cell = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
    seed: 0,
    model: { dim: 8 },
    training: { maxEpochs: 3, patience: 10, batchSize: 16, maxBatchesPerEpoch: 2 },
    onProgress: () => {},
  });
  // Selection reads `valid`: it must be the validation of the weights the run ended with (the
  // best epoch's), which the trainer measured on the validation targets.
  const atBest = cell.history.find((h) => h.epoch === cell.bestEpoch)!.validation!;
  assertEquals(cell.valid, atBest);
  assertEquals(cell.protocol.stage, "test");
  assert(
    Object.keys(cell.valid).some((name) => cell.valid[name] !== cell.test[name]),
    "validation and test differ on this data",
  );
});

Deno.test("cellEnvironment records the OpenBLAS kernel set that runs the backend's products", () => {
  const environment = cellEnvironment();
  assertEquals(environment.backend, tf.getBackend());
  // Registered already (initBackend); the names say whether OpenBLAS runs the products.
  const openBlasRuns = registerBlasKernels(
    environment.backend as Parameters<typeof registerBlasKernels>[0],
  ).length > 0;
  const expected = openBlasRuns ? loadOpenBlas()!.kernelFingerprint() : undefined;
  assertEquals(environment.blasKernels, expected);
  assertEquals("blasKernels" in environment, expected !== undefined, "absent with tfjs's kernels");
});

Deno.test("cellEnvironment names the kernels of the backend that runs, not another backend's", async () => {
  const backend = tf.getBackend();
  const other = backend === "cpu" ? "wasm" : "cpu";
  // tfjs's own kernels on the other backend, whatever OpenBLAS runs for this one.
  const wasRegistered = unregisterBlasKernels(other);
  try {
    assert(await tf.setBackend(other), other);
    const environment = cellEnvironment();
    assertEquals([environment.backend, environment.blasKernels], [other, undefined]);
  } finally {
    assert(await tf.setBackend(backend), backend);
    if (wasRegistered) registerBlasKernels(other);
  }
});

Deno.test("denoisingNeverStarted: a run whose only masks were random did denoise", () => {
  // Random masks (no attribution yet) are masks all the same: such a run is Demure's, not its
  // backbone's.
  const record = {
    ...demureRecord(9, undefined, 0),
    demure: { attributed: 0, reused: 0, random: 3 },
  } as unknown as CellResult;
  assert(!denoisingNeverStarted(record));
  assert(!endedWithBackboneWeights(record));
});

Deno.test("checkingFirst: the runner's check runs before the objective's epoch hook", () => {
  const calls: string[] = [];
  const hooks = checkingFirst({ afterEpoch: () => calls.push("objective") }, () => {
    calls.push("claim check");
  });
  hooks.afterEpoch?.({} as EpochProgress);
  assertEquals(calls, ["claim check", "objective"]);
  // A check that throws stops the epoch before the objective's hook (which saves the checkpoint).
  calls.length = 0;
  const failing = checkingFirst({ afterEpoch: () => calls.push("objective") }, () => {
    throw new Error("claim lost");
  });
  assertThrows(() => failing.afterEpoch?.({} as EpochProgress), Error, "claim lost");
  assertEquals(calls, []);
});

Deno.test("runCell: a trained cell reports its epochs, rounds its per-user metrics, tests the other ranking and leaves no tensor", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const before = tf.memory().numTensors;
  const heard: number[] = [];
  const cell = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
    seed: 0,
    model: { dim: 8 },
    training: { maxEpochs: 2, patience: 10, batchSize: 16, maxBatchesPerEpoch: 1 },
    onProgress: (progress) => heard.push(progress.epoch),
  });
  // The trained model is disposed once the cell is evaluated.
  assertEquals(tf.memory().numTensors, before);
  assertEquals(heard, [1, 2], "the cell's progress sink, not the console's");
  assertEquals(cell.testOtherRanking?.ranking, "history_kept");
  assertEquals(
    cell.protocol.ranking.includes("history items excluded"),
    true,
    cell.protocol.ranking,
  );
  // Rounded to 1e-6, as the paired tests read them.
  for (const name of ["NDCG@10", "HR@10"] as const) {
    for (const v of cell.perUserTest[name]) assertEquals(Math.round(v * 1e6) / 1e6, v, name);
  }
  assert(
    cell.perUserTest["NDCG@10"].some((v) => v > 0 && v < 1),
    "some user's NDCG@10 needs the rounding",
  );
  // No attribution unless asked for (and file data has no planted truth anyway).
  assertEquals("attribution" in cell, false);
});

Deno.test("runCell: the attribution is scored only when asked for", async () => {
  const data = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  const run = (scoreAttribution: boolean) =>
    runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
      seed: 0,
      model: { dim: 8 },
      training: { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 1 },
      scoreAttribution,
      onProgress: () => {},
    });
  assertEquals("attribution" in await run(false), false);
  assertEquals(((await run(true)).attribution?.length ?? 0) > 0, true);
});
