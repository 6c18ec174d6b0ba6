/**
 * Early stopping past its boundary and off the number line: a resumed run whose count already
 * passed a (lowered) patience is exhausted, not only one that meets it exactly; a NaN metric is
 * never a new best (NaN compares false, so it counts against patience like a tie).
 */
import { assertEquals } from "@std/assert";
import { EarlyStopping } from "../../lib/train/_early_stopping.ts";

Deno.test("early stopping: a count past patience (a resumed run, patience lowered) is exhausted", () => {
  // trainModel asks exhausted(config.patience) of a resumed state before its first epoch: a run
  // checkpointed with 3 validations without a gain and resumed with patience 2 must stop there.
  const resumed = new EarlyStopping({ bestValidation: 0.4, bestEpoch: 2, sinceBest: 3 });
  assertEquals(resumed.exhausted(2), true);
  assertEquals(resumed.exhausted(3), true);
  assertEquals(resumed.exhausted(4), false);
  // A tie with the resumed best is no gain either: the count goes on from 3.
  assertEquals(resumed.observe(0.4, 6), false);
  assertEquals([resumed.bestValidation, resumed.bestEpoch, resumed.sinceBest], [0.4, 2, 4]);
});

Deno.test("early stopping: a NaN metric is no new best, also as the first validation", () => {
  const fresh = new EarlyStopping();
  assertEquals(fresh.observe(NaN, 1), false);
  assertEquals([fresh.bestValidation, fresh.bestEpoch, fresh.sinceBest], [-Infinity, 0, 1]);
  assertEquals(fresh.observe(0.1, 2), true);
  assertEquals(fresh.observe(NaN, 3), false);
  assertEquals([fresh.bestValidation, fresh.bestEpoch, fresh.sinceBest], [0.1, 2, 1]);
});
