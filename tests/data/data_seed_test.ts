/**
 * Determinism of the data module's seeded draws (generateSynthetic's items, features and planted
 * noise; trainingBatches' shuffle; the benchmark workload; the sampled evaluation negatives): the
 * same seed gives the same bits, another seed other draws, and no draw depends on what was drawn
 * before it in the process (each function seeds its own generator, no state is shared).
 */
import { assert } from "@std/assert";
import { generateSynthetic, type SyntheticBenchmark } from "../../lib/data/synthetic.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { sampleEvaluationNegatives } from "../../lib/eval/sampled_negatives.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";

const SMALL = { numUsers: 40, numItems: 60, historyLength: 12 };
const WORKLOAD = { numUsers: 30, numItems: 50, clusters: 5, maxHistory: 20 };

function synthetic(seed: number): SyntheticBenchmark {
  return generateSynthetic({ ...SMALL, seed });
}

/** Every seeded draw of this module once, at seeds other than the tests' own. */
function drawEverythingElse(): void {
  const other = synthetic(11);
  const split = leaveOneOutSplit(other.dataset, { maxLength: 8 });
  trainingBatches(split, 3, { batchSize: 7, seed: 12, shuffle: true });
  generateWorkloadDataset({ ...WORKLOAD, seed: 13 });
  sampleEvaluationNegatives(split, { count: 5, seed: 14 });
}

Deno.test("generateSynthetic: a seed gives the same bits twice, whatever was drawn in between", () => {
  const first = synthetic(5);
  drawEverythingElse();
  // The whole benchmark: histories, every modality's features and presence (noise planted in
  // them), the planted truth, the metadata and its fingerprint.
  assertBitIdentical(synthetic(5), first);
});

Deno.test("generateSynthetic: another seed draws other histories, features and planted truth", () => {
  const [a, b] = [synthetic(5), synthetic(6)];
  assertNotBitIdentical(b.dataset.sequences, a.dataset.sequences);
  assertNotBitIdentical(b.truth.pointsOfInterest, a.truth.pointsOfInterest);
  for (const [m, modality] of a.dataset.modalities.entries()) {
    if (modality.kind === "id") continue; // the id modality has no drawn features
    assertNotBitIdentical(b.dataset.modalities[m].values, modality.values, modality.name);
  }
});

Deno.test("trainingBatches: a (seed, epoch) gives the same batches whatever was drawn in between", () => {
  const split = leaveOneOutSplit(synthetic(5).dataset, { maxLength: 8 });
  const config = { batchSize: 6, seed: 3, shuffle: true };
  const first = trainingBatches(split, 2, config);
  // Other epochs of the same run, then other runs: the order of epoch 2 is its own draw.
  trainingBatches(split, 0, config);
  trainingBatches(split, 1, config);
  drawEverythingElse();
  assertBitIdentical(trainingBatches(split, 2, config), first);
  assertNotBitIdentical(trainingBatches(split, 2, { ...config, seed: 4 }), first);
});

Deno.test("generateWorkloadDataset: a seed gives the same bits twice; another seed other data", () => {
  const first = generateWorkloadDataset({ ...WORKLOAD, seed: 2 });
  drawEverythingElse();
  assertBitIdentical(generateWorkloadDataset({ ...WORKLOAD, seed: 2 }), first);
  const other = generateWorkloadDataset({ ...WORKLOAD, seed: 3 });
  assertNotBitIdentical(other.sequences, first.sequences);
});

Deno.test("sampleEvaluationNegatives: a seed gives the same rows whatever was drawn in between", () => {
  const split = leaveOneOutSplit(synthetic(5).dataset, { maxLength: 8 });
  const first = sampleEvaluationNegatives(split, { count: 10, seed: 1 });
  drawEverythingElse();
  assertBitIdentical(sampleEvaluationNegatives(split, { count: 10, seed: 1 }), first);
  const other = sampleEvaluationNegatives(split, { count: 10, seed: 2 });
  assertNotBitIdentical(other.negatives, first.negatives);
});

Deno.test("kCoreFilter and leaveOneOutSplit draw nothing: the same input gives the same bits", () => {
  const { dataset } = synthetic(5);
  const first = leaveOneOutSplit(kCoreFilter(dataset, { k: 3 }), { maxLength: 8 });
  drawEverythingElse();
  const again = leaveOneOutSplit(kCoreFilter(dataset, { k: 3 }), { maxLength: 8 });
  assertBitIdentical(again, first);
  assert(first.train.length > 0);
});
