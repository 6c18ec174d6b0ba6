/**
 * completenessOf on a NaN loss change, an edge the earlier tests left open (found by mutation
 * round OA).
 */
import { assert, assertEquals } from "@std/assert";
import { completenessOf } from "../../lib/attribution/completeness.ts";

Deno.test("completenessOf: a NaN loss change gives a NaN relative delta, not the next user's", () => {
  // User 0's loss change is NaN (a NaN loss at the baseline): its relative delta is unknown, so
  // the worst one is too; skipping it as "no loss change" would read 0.5 from user 1.
  const readout = completenessOf([1, 1.5], [NaN, 1], [2, 1, 1], 4, "zero_embedding");
  assert(Number.isNaN(readout.delta[0]));
  assertEquals(readout.delta[1], 0.5);
  assert(Number.isNaN(readout.maxAbsoluteDelta), `maxAbsoluteDelta ${readout.maxAbsoluteDelta}`);
  assert(Number.isNaN(readout.maxRelativeDelta), `maxRelativeDelta ${readout.maxRelativeDelta}`);
});
