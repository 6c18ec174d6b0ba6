import { assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import {
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

/** A dataset with its content fingerprint, as the importers stamp it. */
function fingerprinted(dataset: InteractionDataset): InteractionDataset {
  const copy = { ...dataset, metadata: { ...dataset.metadata } };
  copy.metadata.fingerprint = datasetFingerprint(copy);
  return copy;
}

Deno.test("persisted negatives of one dataset are refused for another (same users, count, seed)", () => {
  const a = fingerprinted(cycleDataset(3, 12, 5));
  // Same users and items, other histories: user u walks u+4..u+8 instead of u..u+4.
  const b = fingerprinted({
    ...cycleDataset(3, 12, 5),
    sequences: a.sequences.map((s) => s.map((item) => (item + 4) % 12)),
  });
  assertNotEquals(a.metadata.fingerprint, b.metadata.fingerprint);
  const splitA = leaveOneOut(a);
  const splitB = leaveOneOut(b);
  const config = { count: 3, seed: 7 };
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.removeSync(path);
  try {
    const written = loadOrCreateSampledNegatives(path, splitA, config);
    assertEquals(written, sampleEvaluationNegatives(splitA, config));
    assertEquals(loadOrCreateSampledNegatives(path, splitA, config), written);
    assertThrows(
      () => loadOrCreateSampledNegatives(path, splitB, config),
      Error,
      `dataset fingerprint ${a.metadata.fingerprint} != ${b.metadata.fingerprint}`,
    );
  } finally {
    Deno.removeSync(path);
  }
});
