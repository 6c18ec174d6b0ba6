/**
 * The workloads the benchmarks time (bench/_workloads.ts) are the library's own code paths: the
 * attribution pass is `attributeBatch` on the batch (Demure's per-user sequence loss), not a loss
 * written for the benchmark; the backends a `deno bench` file is asked for are checked, and a second
 * backend gets the kernels initBackend registers; the Demure benchmarks train the records' selection.
 */
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { planExperiments, planOfResults } from "../../lib/experiments/mod.ts";
import { initBackend, registerWorkspaceKernels } from "../../lib/backend/mod.ts";
import { attributeBatch, withNextItemTargets } from "../../lib/attribution/mod.ts";
import { evaluationBatches, leaveOneOutSplit } from "../../lib/data/mod.ts";
import { SettingError } from "../../lib/util/mod.ts";
import {
  attributionPass,
  benchBackends,
  libraryTrainingStep,
  movieLensDemureCellOf,
  RECORDS_FOLDER,
  selectedMovieLensDemureCell,
} from "../../bench/_workloads.ts";
import { tinyDataset } from "../models/_fixtures.ts";

const choice = await initBackend({ verbose: false });

Deno.test("attributionPass is attributeBatch on the first test histories: same contributions and noise", async () => {
  const dataset = tinyDataset();
  const data = { dataset, split: leaveOneOutSplit(dataset, { maxLength: 50 }) };
  const step = libraryTrainingStep(data, 4);
  try {
    await step.run(); // weights off their initial values
    const timed = await attributionPass(step.model, data, 4);
    const [{ batch, targets }] = evaluationBatches(data.split, "test", 4);
    const library = await attributeBatch(step.model, withNextItemTargets(batch, targets));
    assertEquals(timed.shape, library.shape);
    assertEquals(timed.contributions, library.contributions);
    assertEquals(timed.noiseMask, library.noiseMask);
  } finally {
    step.dispose();
  }
});

Deno.test("benchBackends: DEMURE_BENCH_BACKENDS names host backends; another name is a SettingError", () => {
  // The variable's value is passed in: tests share one process, so none sets the environment.
  assertEquals(benchBackends("wasm,cpu", undefined), ["wasm", "cpu"]);
  assertEquals(benchBackends("wasm", "cpu"), ["cpu"]);
  // A variable set but empty is an error too, not the fallback: the user asked for something.
  for (
    const [value, shown] of [
      ["wasm,gpu", '"gpu"'],
      ["wasm,", '""'],
      ["webgpu", '"webgpu"'],
      ["", '""'],
    ]
  ) {
    assertThrows(
      () => benchBackends("wasm", value),
      SettingError,
      `DEMURE_BENCH_BACKENDS is ${shown}; allowed: one of "wasm", "cpu"`,
    );
  }
});

Deno.test("a benchmark's second host backend gets initBackend's kernels, from the same list", () => {
  // The benchmarks switch backends with tf.setBackend and then register the workspace's kernels;
  // they used to list the registrations themselves (without UnsortedSegmentSum).
  assertEquals(choice.backend === "wasm" || choice.backend === "cpu", true, choice.backend);
  assertEquals(registerWorkspaceKernels(choice.backend as "wasm" | "cpu"), choice.kernels);
});

Deno.test("the Demure benchmarks train MovieLens Demure-SASRec at the records' selected configuration", () => {
  const selected = JSON.parse(Deno.readTextFileSync(`${RECORDS_FOLDER}/selected.json`));
  const chosen = selected.MovieLens["Demure-SASRec"].config;
  const cell = selectedMovieLensDemureCell();
  assertEquals(cell.system.kind, "neural");
  if (cell.system.kind !== "neural") return;
  // Every selected Demure setting reaches the benchmark (they were written out by hand before).
  for (const [name, value] of Object.entries(chosen.demure)) {
    assertEquals(cell.system.demure?.[name as keyof typeof cell.system.demure], value, name);
  }
  assertEquals([cell.seed, cell.dataset.kind, cell.training.batchSize], [0, "movielens", 128]);
});

Deno.test("the Demure benchmarks' cell is the main-table one at seed 0; one that waits for its selection is an error", () => {
  const plan = planOfResults("full", RECORDS_FOLDER);
  const cell = movieLensDemureCellOf(plan);
  assertEquals([cell.seed, cell.experiments.includes("main")], [0, true]);
  // Listed before it, a cell at another seed and one outside the main table are not it.
  const decoys = [{ ...cell, seed: 1 }, { ...cell, experiments: ["sensitivity" as const] }];
  assertStrictEquals(movieLensDemureCellOf({ ...plan, cells: [...decoys, cell] }), cell);
  // Without the records' selection the cell waits for it: no configuration to benchmark.
  const message =
    `${RECORDS_FOLDER}/selected.json: no selected configuration of MovieLens Demure-SASRec`;
  assertThrows(() => movieLensDemureCellOf(planExperiments("full")), Error, message);
  assertThrows(() => movieLensDemureCellOf({ ...plan, cells: decoys }), Error, message);
});
