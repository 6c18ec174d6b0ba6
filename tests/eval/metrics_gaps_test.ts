import { assertEquals } from "@std/assert";
import { pessimisticRank } from "../../lib/eval/metrics.ts";

Deno.test("pessimisticRank: a target marked excluded (an item repeated from the history) keeps its rank", () => {
  // Mutation round MG (MG07): skipping every candidate when the target itself is marked gave rank 0.
  const scores = Float32Array.of(0.5, 0.9, 0.5, 0.1, 0.7);
  assertEquals(pessimisticRank(scores, 0, Uint8Array.of(1, 0, 0, 0, 0)), 3);
  assertEquals(pessimisticRank(scores, 3, Uint8Array.of(0, 1, 0, 1, 0)), 3);
});
