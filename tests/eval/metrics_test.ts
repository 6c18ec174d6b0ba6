import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  metricNames,
  metricsAtRank,
  NonFiniteScoreError,
  pessimisticRank,
  pessimisticRankAmong,
} from "../../lib/eval/metrics.ts";

Deno.test("pessimisticRank: strictly higher and tied items count ahead, excluded items do not", () => {
  const scores = Float32Array.of(0.5, 0.9, 0.5, 0.1, 0.7);
  assertEquals(pessimisticRank(scores, 0, new Uint8Array(5)), 3); // 0.9, 0.7 above; item 2 tied
  assertEquals(pessimisticRank(scores, 0, Uint8Array.of(0, 1, 1, 0, 0)), 1); // only 0.7 left
  assertEquals(pessimisticRank(scores, 1, new Uint8Array(5)), 0);
  // The target is never excluded, even when marked.
  assertEquals(pessimisticRank(scores, 1, Uint8Array.of(0, 1, 0, 0, 0)), 0);
  // A constant scorer gets the worst rank.
  assertEquals(pessimisticRank(new Float32Array(5), 2, new Uint8Array(5)), 4);
  assertEquals(pessimisticRankAmong(0.5, [0.5, 0.2, 0.6]), 2);
  assertThrows(() => pessimisticRank(Float32Array.of(Number.NaN, 1), 0, new Uint8Array(2)));
});

Deno.test("pessimisticRank: a non-finite candidate's score is an error naming it, not a rank", () => {
  // NaN >= t is false: a NaN candidate counted below the target and lifted it to rank 0.
  for (const bad of [Number.NaN, Infinity, -Infinity]) {
    const error = assertThrows(
      () => pessimisticRank(Float32Array.of(0.5, 0.9, bad), 0, new Uint8Array(3)),
      NonFiniteScoreError,
    ) as NonFiniteScoreError;
    assertEquals(error.candidate, 2);
  }
  // An excluded item is no candidate: its score is never read.
  assertEquals(pessimisticRank(Float32Array.of(0.5, Number.NaN), 0, Uint8Array.of(0, 1)), 0);
  // Sampled: a NaN negative, or undefined read for a negative id past the score row.
  for (const bad of [Number.NaN, undefined, Infinity]) {
    const error = assertThrows(
      () => pessimisticRankAmong(0.5, [0.2, bad as number]),
      NonFiniteScoreError,
    ) as NonFiniteScoreError;
    assertEquals(error.candidate, 1);
  }
});

Deno.test("metricsAtRank: HR, NDCG and MRR from the definitions", () => {
  const atTop = metricsAtRank(0);
  assertEquals(atTop["HR@5"], 1);
  assertEquals(atTop["NDCG@5"], 1);
  assertEquals(atTop.MRR, 1);
  const third = metricsAtRank(2);
  assertAlmostEquals(third["NDCG@10"], 0.5, 1e-12); // 1 / log2(4)
  assertAlmostEquals(third.MRR, 1 / 3, 1e-12);
  const far = metricsAtRank(12);
  assertEquals([far["HR@5"], far["HR@10"], far["HR@20"]], [0, 0, 1]);
  assertEquals(far["NDCG@10"], 0);
  assertAlmostEquals(far["NDCG@20"], 1 / Math.log2(14), 1e-12);
});

Deno.test("pessimisticRank(Among): an infinite target is an error naming the target, not rank 0", () => {
  // Only NaN was refused: a target at +Infinity ranked 0 (a perfect hit) above every candidate.
  for (const bad of [Infinity, -Infinity, Number.NaN]) {
    const full = assertThrows(
      () => pessimisticRank(Float32Array.of(0.5, bad, 0.9), 1, new Uint8Array(3)),
      NonFiniteScoreError,
    ) as NonFiniteScoreError;
    assertEquals(full.candidate, "target");
    assertEquals(
      full.message,
      `pessimisticRank (target item 1): the target has a non-finite score ${bad}`,
    );
    const sampled = assertThrows(
      () => pessimisticRankAmong(bad, [0.2, 0.9]),
      NonFiniteScoreError,
    ) as NonFiniteScoreError;
    assertEquals(sampled.candidate, "target");
  }
  // A negative at -Infinity is refused as in the full ranking, naming its position.
  const error = assertThrows(
    () => pessimisticRankAmong(0.5, [0.2, 0.9, -Infinity]),
    NonFiniteScoreError,
  ) as NonFiniteScoreError;
  assertEquals(error.candidate, 2);
  assertEquals(error.message, "pessimisticRankAmong: candidate 2 has a non-finite score -Infinity");
  assertEquals(
    assertThrows(() => pessimisticRank(Float32Array.of(0.5, 0.9, Number.NaN), 0, new Uint8Array(3)))
      .message,
    "pessimisticRank: candidate 2 has a non-finite score NaN",
  );
});

Deno.test("metricNames: HR@K for every K, then NDCG@K, then MRR, the keys of metricsAtRank", () => {
  const names = ["HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "MRR"];
  assertEquals(metricNames(), names);
  assertEquals(Object.keys(metricsAtRank(3)), names);
  assertEquals(metricNames([1, 3]), ["HR@1", "HR@3", "NDCG@1", "NDCG@3", "MRR"]);
});

Deno.test("metricsAtRank: MRR has no cut-off", () => {
  const far = metricsAtRank(99);
  assertEquals([far["HR@20"], far["NDCG@20"]], [0, 0]);
  assertEquals(far.MRR, 1 / 100);
});

Deno.test("NonFiniteScoreError: named as such, so a caught or printed error says what it is", () => {
  const error = assertThrows(
    () => pessimisticRankAmong(0.5, [Number.NaN]),
    NonFiniteScoreError,
  ) as NonFiniteScoreError;
  assert(error instanceof Error);
  // Without its own name the error printed as "Error: ...", like any other failure.
  assertEquals(error.name, "NonFiniteScoreError");
  assertEquals(
    String(error),
    "NonFiniteScoreError: pessimisticRankAmong: candidate 0 has a non-finite score NaN",
  );
});
