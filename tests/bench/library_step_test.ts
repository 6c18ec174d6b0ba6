/**
 * What the step and evaluation benchmarks time is what users run (bench/_workloads.ts): the
 * MovieLens workload is the grid's prepared data, a step of `libraryTrainingStep` is a step of
 * `trainModel` on the same model, seed and batches, `stepShapeOf` counts the real positions, and
 * `timingConditions` states the threads and the load average a timing was taken under.
 */
import { assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { initBackend, tf } from "../../lib/backend/mod.ts";
import { leaveOneOutSplit } from "../../lib/data/mod.ts";
import { planExperiments, prepareDataset } from "../../lib/experiments/mod.ts";
import { evaluateRanking, modelScorer, SequentialRecommender, trainModel } from "../../mod.ts";
import {
  evaluationPass,
  librarySasrec,
  libraryTrainingStep,
  movieLensWorkloadData,
  stepFlops,
  stepShapeOf,
} from "../../bench/_workloads.ts";
import { tinyDataset } from "../models/_fixtures.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

await initBackend({ verbose: false });

const dataset = tinyDataset();
const data = { dataset, split: leaveOneOutSplit(dataset, { maxLength: 50 }) };

/**
 * That two models hold the same weights, naming the first variable and entry that differs (an
 * assertEquals of the arrays themselves diffs tens of thousands of numbers: gigabytes, minutes).
 */
function assertSameWeights(actual: SequentialRecommender, expected: SequentialRecommender) {
  const a = actual.trainableVariables(), b = expected.trainableVariables();
  assertEquals(a.map((v) => v.shape), b.map((v) => v.shape));
  a.forEach((variable, i) => {
    const x = variable.dataSync(), y = b[i].dataSync();
    const at = x.findIndex((value, k) => value !== y[k]);
    assertEquals(at, -1, `${variable.name}[${at}]: ${x[at]} vs ${y[at]}`);
  });
}

Deno.test("libraryTrainingStep's steps over an epoch leave trainModel's weights; evaluationPass is the test stage", async () => {
  const tensorsBefore = tf.memory().numTensors;
  // Batches of 2 rows: two steps per epoch, so the step must move on to the second batch.
  const step = libraryTrainingStep(data, 2);
  assertEquals(step.batches.length, 2);
  for (let i = 0; i < step.batches.length; i++) await step.run();
  assertEquals(step.step, 2);
  const plan = planExperiments("full");
  const trained = new SequentialRecommender(dataset, {
    ...plan.model,
    backbone: "sasrec",
    maxLength: 50,
    seed: 0,
  });
  try {
    await trainModel(trained, data.split, {
      ...plan.training,
      batchSize: 2,
      maxEpochs: 1,
      seed: 0,
    }, { onProgress: () => {} });
    assertSameWeights(step.model, trained);
    // The evaluation benchmark's pass is the test-stage full ranking a cell reports.
    const scorer = modelScorer(step.model);
    const timed = await evaluationPass(step.model, data);
    const test = await evaluateRanking(scorer, data.split, { stage: "test" });
    const valid = await evaluateRanking(scorer, data.split, { stage: "valid" });
    assertEquals([timed.ranks, timed.protocol], [test.ranks, test.protocol]);
    assertNotEquals(timed.ranks, valid.ranks);
  } finally {
    trained.dispose();
    step.dispose();
  }
  // The step's model and its optimizer slots are released by dispose().
  assertEquals(tf.memory().numTensors, tensorsBefore);
});

Deno.test("librarySasrec is the grid's SASRec over every modality at seed 0", () => {
  const model = librarySasrec(data);
  const grid = new SequentialRecommender(dataset, {
    ...planExperiments("full").model,
    backbone: "sasrec",
    maxLength: 50,
    seed: 0,
  });
  try {
    assertEquals(model.modalityNames, ["id", "text", "genre"]);
    assertEquals(model.config.maxLength, 50);
    assertSameWeights(model, grid);
  } finally {
    model.dispose();
    grid.dispose();
  }
});

Deno.test("stepShapeOf counts the real positions, the occupied columns and the model's dense encoders", () => {
  const step = libraryTrainingStep(data, 4);
  const idOnly = new SequentialRecommender(dataset, { modalities: ["id"], maxLength: 50, seed: 0 });
  try {
    const [batch] = step.batches;
    const real = batch.valid.reduce((sum, v) => sum + v, 0);
    let window = 0;
    for (let column = 0; column < batch.length; column++) {
      let used = false;
      for (let row = 0; row < batch.batchSize; row++) {
        used ||= batch.valid[row * batch.length + column] === 1;
      }
      if (used) window++;
    }
    const shape = stepShapeOf(batch, step.model, dataset);
    assertEquals(
      [shape.batch, shape.window, shape.realPositions, shape.dim, shape.blocks, shape.numItems],
      [4, window, real, 64, 2, 6],
    );
    assertEquals(window < batch.length, true, `window ${window} of ${batch.length}`);
    // text is the only dense modality (genre is multi-hot); an ID-only model has no encoder.
    assertEquals(shape.denseFeatureWidths, [3]);
    assertEquals(stepShapeOf(batch, idOnly, dataset).denseFeatureWidths, []);
  } finally {
    idOnly.dispose();
    step.dispose();
  }
});

Deno.test("stepFlops of a packed Beauty-shaped step counts attention on the packed window (hand arithmetic)", () => {
  // Per block: projections 6*2*510*64*64 = 25,067,520 and attention over the 20 occupied columns
  // 2*2*128*20*20*64 = 13,107,200 (not the 50 of the padded batch); scoring 2*510*64*12101 =
  // 789,953,280; no dense encoder; forward 866,302,720, x3 with backward.
  const packed = { batch: 128, window: 20, realPositions: 510, denseFeatureWidths: [] };
  const beauty = { dim: 64, blocks: 2, numItems: 12_101 };
  assertEquals(stepFlops({ ...packed, ...beauty }), 2_598_908_160);
});

Deno.test("timingConditions states the BLAS threads, the kernel set and the load average", async () => {
  // Not the core count, which a line that ignored DEMURE_BLAS_THREADS would state. Set for a
  // process of its own: the parallel suite's files share this one's environment, and the backend
  // tests running meanwhile read the variable.
  const threads = navigator.hardwareConcurrency + 1;
  const load = String.raw`load average \d+\.\d\d \d+\.\d\d \d+\.\d\d`;
  const [withBlas, withoutBlas] = await evalInSubprocess<string[]>(
    `import { timingConditions } from ${projectModule("bench/_workloads.ts")};
const blas = { backend: "wasm", reason: "", kernels: ["UnsortedSegmentSum"] };
console.log(JSON.stringify([
  timingConditions({ ...blas, kernels: [...blas.kernels, "BatchMatMul(openblas)"] }),
  timingConditions(blas),
]));`,
    { DEMURE_BLAS_THREADS: String(threads) },
  );
  assertMatch(withBlas, new RegExp(`^BLAS threads ${threads}, kernel set .+, ${load}$`));
  assertMatch(withoutBlas, new RegExp(`^no OpenBLAS, ${load}$`));
});

Deno.test("the MovieLens workload is the grid's prepared MovieLens (5-core, leave-one-out, L = 50)", async () => {
  const workload = await movieLensWorkloadData();
  const grid = (await prepareDataset({ kind: "movielens" })).split;
  assertEquals(workload.split.maxLength, 50);
  assertEquals(
    [workload.dataset.numUsers, workload.dataset.numItems, workload.dataset.metadata.fingerprint],
    [grid.dataset.numUsers, grid.dataset.numItems, grid.dataset.metadata.fingerprint],
  );
  assertEquals(workload.split.maxLength, grid.maxLength);
});
