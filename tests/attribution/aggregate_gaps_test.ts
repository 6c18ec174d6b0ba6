/**
 * aggregateByModality's means are defined from one valid pair on: a modality present at a single
 * pair of the batch shows that pair's values, not NaN (NaN is for a modality with none).
 */
import { assertEquals } from "@std/assert";
import { aggregateByModality } from "../../lib/attribution/aggregate.ts";
import type { PairShape } from "../../lib/attribution/types.ts";

Deno.test("aggregate by modality: a modality with one valid pair has that pair's values as its means", () => {
  const shape: PairShape = [1, 2, 2];
  // Modality 0 valid at both positions, modality 1 at position 0 only (flat 1).
  const valid = Uint8Array.of(1, 1, 1, 0);
  const [m0, m1] = aggregateByModality(
    [1, 2, 3, 4],
    [0.5, -1, 1.5, 9],
    Uint8Array.of(0, 1, 1, 0),
    valid,
    shape,
  );
  assertEquals(m1, {
    modality: 1,
    count: 1,
    meanContribution: 2,
    meanNormalised: -1,
    noiseRate: 1,
  });
  assertEquals(m0, {
    modality: 0,
    count: 2,
    meanContribution: 2,
    meanNormalised: 1,
    noiseRate: 0.5,
  });
});
