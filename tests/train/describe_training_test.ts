/** describeTraining: a cell's trainer settings in words, never as a JSON object. */
import { assertEquals } from "@std/assert";
import { describeTraining } from "../../lib/train/mod.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";

Deno.test("describeTraining: the quick plan's settings read as a sentence, each one named", () => {
  // The quick plan's neural training, which notebook 02 printed with JSON.stringify.
  const text = describeTraining({
    batchSize: 64,
    maxBatchesPerEpoch: 3,
    optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 0.002 },
    maxEpochs: 3,
    patience: 3,
  });
  assertEquals(
    text,
    "at most 3 epochs, early stopping after 3 validations without a better NDCG@10, " +
      "batch size 64, at most 3 batches per epoch, Adam (learning rate 0.002, beta1 0.9, " +
      "beta2 0.999, epsilon 1e-8, weight decay 0)",
  );
  assertEquals(/[{}"]/.test(text), false);
});

Deno.test("describeTraining: nothing given names the defaults; clipping and windows are said", () => {
  assertEquals(describeTraining({}), "the trainer's defaults");
  assertEquals(
    describeTraining({ windows: "last", optimizer: { ...DEFAULT_ADAM_CONFIG, clipNorm: 5 } }),
    "the last window of each training history, Adam (learning rate 0.002, beta1 0.9, " +
      "beta2 0.999, epsilon 1e-8, weight decay 0, gradients clipped to norm 5)",
  );
});
