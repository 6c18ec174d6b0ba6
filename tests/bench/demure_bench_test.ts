/**
 * The arithmetic of `deno task bench:demure` (bench/demure_bench.ts): which epochs it sets against
 * the plain run (never the process's first, whatever the warm-up; past the mask warm-up; whole mask
 * cycles), the plain median, `demure / plain epoch time` and its per-pair ratios, the runs' turns
 * and their settings.
 */
import { assertEquals, assertMatch, assertStringIncludes, assertThrows } from "@std/assert";
import type { DemureConfig, DemureStats, EpochProgress } from "../../mod.ts";
import { DEFAULT_DEMURE_CONFIG } from "../../lib/demure/mod.ts";
import {
  benchOptions,
  benchTraining,
  comparedEpochs,
  DEMURE_RUNS,
  demureSettingsOf,
  EpochTurns,
  median,
  plainLine,
  routeLines,
} from "../../bench/demure_bench.ts";
import { selectedMovieLensDemureCell } from "../../bench/_workloads.ts";

/** Epochs 1..n as the trainer numbers them. */
const epochs = (n: number) => Array.from({ length: n }, (_, i) => ({ epoch: i + 1 }));
const numbers = (list: { epoch: number }[]) => list.map((p) => p.epoch);

Deno.test("bench:demure compares no first epoch, even with no warm-up (it pays the process's set-up)", () => {
  const settings = { stepsPerEpoch: 17, warmupSteps: 0, trainingPass: false, cycle: 1 };
  assertEquals(numbers(comparedEpochs(epochs(3), settings)), [2, 3]);
  assertEquals(numbers(comparedEpochs(epochs(3), { ...settings, trainingPass: true })), [2, 3]);
  // Every second visit: the last whole cycle of epochs 2..3.
  assertEquals(numbers(comparedEpochs(epochs(3), { ...settings, cycle: 2 })), [2, 3]);
  assertEquals(numbers(comparedEpochs(epochs(2), { ...settings, cycle: 2 })), []);
});

Deno.test("bench:demure compares the epochs past the warm-up, the training pass one later, whole cycles", () => {
  const separate = { stepsPerEpoch: 17, warmupSteps: 30, trainingPass: false, cycle: 1 };
  // Epoch 3 starts at step 34, the first past 30.
  assertEquals(numbers(comparedEpochs(epochs(5), separate)), [3, 4, 5]);
  assertEquals(numbers(comparedEpochs(epochs(5), { ...separate, trainingPass: true })), [4, 5]);
  // docs/performance.md's `--epochs=6 --warmup-steps=17`: four compared epochs, two cycles of 2.
  const visits = { ...separate, warmupSteps: 17, cycle: 2 };
  assertEquals(numbers(comparedEpochs(epochs(6), visits)), [3, 4, 5, 6]);
  assertEquals(numbers(comparedEpochs(epochs(6), { ...visits, cycle: 1 })), [2, 3, 4, 5, 6]);
});

Deno.test("median: the middle value, the mean of the two middle ones, numbers sorted as numbers", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  // Sorted as text, [10, 9, 2] would be [10, 2, 9] and give 2.
  assertEquals(median([10, 9, 2]), 9);
  assertEquals(median([]), NaN);
});

/** An epoch's progress with `seconds` of training over `steps` steps and a validation wait. */
function progress(epoch: number, seconds: number, steps = 10): EpochProgress {
  return {
    epoch,
    maxEpochs: 7,
    loss: 1,
    recommendationLoss: 1,
    auxiliaryLoss: 0,
    validation: { "NDCG@10": 0 },
    bestValidation: 0,
    bestEpoch: 1,
    improved: epoch === 1,
    steps,
    // The turn's wait for the other runs is in the epoch's seconds, never in its training time.
    epochSeconds: seconds + 100,
    stepSeconds: seconds / steps,
    secondsLeftAtMost: 0,
  };
}
const run = (seconds: number[]) => seconds.map((s, i) => progress(i + 1, s));
const LOAD = String.raw`load average \d+\.\d\d \d+\.\d\d \d+\.\d\d`;

Deno.test("bench:demure's plain median leaves the first epoch out and states the conditions", () => {
  const choice = { backend: "wasm" as const, reason: "", kernels: [] };
  // The first epoch (9 s) pays the set-up: counted, the median would be 5.0.
  assertMatch(
    plainLine(choice, run([9, 4, 5, 4, 5, 4, 5]), 128),
    new RegExp(
      String.raw`^wasm \(stock\), MovieLens all modalities, B=128, 10 steps/epoch, runs taking ` +
        String.raw`turns by epoch; plain median 4\.5 s \(epochs 2\.\.7\); (no OpenBLAS|BLAS .*), ` +
        `${LOAD}$`,
    ),
  );
});

Deno.test("demure / plain epoch time: the compared Demure epochs over the plain epochs of their turns", () => {
  const plain = { epochs: run([9, 4, 5, 4, 5, 4, 5]) };
  const demure = run([30, 12, 10, 6, 15, 6, 10]);
  const stats = (source: string) => ({ attributionSource: source }) as unknown as DemureStats;
  const config = { ...DEFAULT_DEMURE_CONFIG, everyVisits: 2 };
  // The separate pass every second visit: epochs 3..7 are past the 17-step warm-up, the last two
  // whole cycles are 4..7; (6 + 15 + 6 + 10) / (4 + 5 + 4 + 5) = 37 / 18.
  const separate = routeLines(
    "denoised",
    {
      epochs: demure,
      stats: stats("separate_pass"),
      config,
    },
    plain,
    { warmupSteps: 17 },
  );
  assertEquals(
    separate[1],
    "demure / plain epoch time = 2.06 (denoised: separate_pass, everyVisits 2)",
  );
  assertStringIncludes(
    separate[0],
    "denoised: separate_pass, everyVisits 2: demure median 8.0 s over epochs 4, 5, 6, 7; " +
      "per epoch pair 1.50, 3.00, 1.50, 2.00; counters ",
  );
  // The training pass: one epoch later (4..7 after a 17-step warm-up), no cycle.
  const training = routeLines(
    "default",
    {
      epochs: demure,
      stats: stats("training_pass"),
      config,
    },
    plain,
    { warmupSteps: 17 },
  );
  assertEquals(training[1], "demure / plain epoch time = 2.06 (default: training_pass)");
  assertStringIncludes(
    training[0],
    "over epochs 4, 5, 6, 7; per epoch pair 1.50, 3.00, 1.50, 2.00",
  );
  const short = routeLines(
    "records",
    {
      epochs: demure.slice(0, 2),
      stats: stats("separate_pass"),
      config,
    },
    plain,
    { warmupSteps: 17 },
  );
  assertEquals(short, [
    "records: separate_pass, everyVisits 2: no whole mask cycle after the warm-up; run more --epochs",
  ]);
});

Deno.test("bench:demure's runs take turns by whole epochs, one at a time, and all of them end", async () => {
  const turns = new EpochTurns(3, 2);
  const events: string[] = [];
  await Promise.all([0, 1, 2].map(async (r) => {
    await turns.turnOf(r);
    for (let epoch = 1; epoch <= 2; epoch++) {
      events.push(`${r} starts ${epoch}`);
      await new Promise((resolve) => setTimeout(resolve, 5)); // an epoch's training
      events.push(`${r} ends ${epoch}`);
      await turns.endEpoch(r);
    }
  }));
  const expected = [1, 2].flatMap((e) =>
    [0, 1, 2].flatMap((r) => [`${r} starts ${e}`, `${r} ends ${e}`])
  );
  assertEquals(events, expected);
});

Deno.test("bench:demure's runs: the records' selection at the library's routes, each run's own settings over them", () => {
  const cell = selectedMovieLensDemureCell();
  if (cell.system.kind !== "neural" || !cell.system.demure) throw new Error("not Demure");
  const bench = { demure: cell.system.demure, warmupSteps: 17 };
  const [plain, auto, denoised, records] = DEMURE_RUNS.map((run) => demureSettingsOf(run, bench));
  assertEquals(DEMURE_RUNS.map((run) => run.label), ["plain", "default", "denoised", "records"]);
  assertEquals(plain, undefined);
  const library: Partial<DemureConfig> = {
    ...cell.system.demure,
    attributionSource: "auto",
    everyVisits: DEFAULT_DEMURE_CONFIG.everyVisits,
    warmupBy: "steps",
    warmupSteps: 17,
  };
  assertEquals(auto, library);
  assertEquals(denoised, { ...library, denoiseInput: true });
  assertEquals(records, { ...library, attributionSource: "separate_pass", everyVisits: 1 });
  // Every epoch asked runs: the stub validation never improves, so patience is the epoch count.
  const training = benchTraining(cell, 20);
  assertEquals(training, { ...cell.training, maxEpochs: 20, patience: 20, seed: 0 });
  assertEquals(training.batchSize, 128);
});

Deno.test("bench:demure's plain line lists the backend's kernels, comma-separated", () => {
  // Found by mutation round HB (HB10): only the stock backend (no kernels) was pinned.
  const choice = { backend: "wasm" as const, reason: "", kernels: ["matmul", "softmax"] };
  assertMatch(plainLine(choice, run([9, 4, 5]), 128), /^wasm \(matmul, softmax\), MovieLens /);
});

Deno.test("bench:demure's training pass compares every epoch past its warm-up, whatever everyVisits says", () => {
  // Found by mutation round HB (HB19): with an even count of compared epochs a cycle of the
  // config's everyVisits (2) dropped none, so the training pass's cycle of 1 was not pinned.
  const plain = { epochs: run([9, 4, 5, 4, 5, 4, 5]) };
  const stats = { attributionSource: "training_pass" } as unknown as DemureStats;
  const config = { ...DEFAULT_DEMURE_CONFIG, everyVisits: 2 };
  // A 7-step warm-up: the training pass's epochs 3..7 (one later than the separate pass's 2..7).
  // (10 + 6 + 15 + 6 + 10) / (5 + 4 + 5 + 4 + 5) = 47 / 23.
  const lines = routeLines(
    "default",
    { epochs: run([30, 12, 10, 6, 15, 6, 10]), stats, config },
    plain,
    { warmupSteps: 7 },
  );
  assertStringIncludes(
    lines[0],
    "default: training_pass: demure median 10.0 s over epochs 3, 4, 5, 6, 7;",
  );
  assertEquals(lines[1], "demure / plain epoch time = 2.04 (default: training_pass)");
});

Deno.test("bench:demure's options: 6 epochs and a 30-step warm-up by default, both bounds allowed", () => {
  // Found by mutation round HB (HB41, HB42): the defaults were reached only by running the bench.
  assertEquals(benchOptions([]), { epochs: 6, warmupSteps: 30 });
  assertEquals(benchOptions(["--epochs=2", "--warmup-steps=0"]), { epochs: 2, warmupSteps: 0 });
  assertEquals(benchOptions(["--epochs=1000", "--warmup-steps=100000"]), {
    epochs: 1000,
    warmupSteps: 100_000,
  });
  assertThrows(
    () => benchOptions(["--epochs=1001"]),
    Error,
    "--epochs 1001: must be an integer in 2..1000",
  );
  assertThrows(
    () => benchOptions(["--warmup-steps=100001"]),
    Error,
    "--warmup-steps 100001: must be an integer in 0..100000",
  );
  // --help is undefined before the counts are checked.
  assertEquals(benchOptions(["--help", "--epochs=1"]), undefined);
});
