/**
 * Which epochs `deno task bench:demure` sets against the plain run (bench/demure_bench.ts): never
 * the process's first, whatever the warm-up; past the mask warm-up; whole mask cycles.
 */
import { assertEquals } from "@std/assert";
import { comparedEpochs } from "../../bench/demure_bench.ts";

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
