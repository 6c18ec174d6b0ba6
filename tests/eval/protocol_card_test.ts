import { assertEquals, assertThrows } from "@std/assert";
import {
  formatProtocol,
  parseRankingProtocol,
  RANKING_PROTOCOLS,
} from "../../lib/eval/protocol.ts";

Deno.test("parseRankingProtocol takes a protocol's exact name only", () => {
  for (const name of RANKING_PROTOCOLS) assertEquals(parseRankingProtocol(name), name);
  for (const value of ["history_excluded_x", "history_kept ", "History_kept", "history", ""]) {
    assertThrows(
      () => parseRankingProtocol(value),
      Error,
      `ranking: "${value}" is not one of history_excluded, history_kept`,
    );
  }
});

Deno.test("formatProtocol prints every field: each split line, the stage and the seed", () => {
  const card = formatProtocol({
    model: "SASRec (id)",
    dataset: "tiny: 3 users, 8 items",
    split: ["leave-one-out", "maxLength 50"],
    loss: "softmax cross-entropy",
    ranking: "full ranking over all 8 items",
    rankingProtocol: "history_kept",
    stage: "valid",
    seed: 3,
  });
  assertEquals(
    card,
    [
      "model: SASRec (id)",
      "dataset: tiny: 3 users, 8 items",
      "split: leave-one-out; maxLength 50",
      "loss: softmax cross-entropy",
      "ranking: full ranking over all 8 items",
      "stage: valid, seed: 3",
    ].join("\n"),
  );
});

Deno.test("formatProtocol prints every line of a long split, in order", () => {
  // A leave-one-out card has six lines or more (dataset, source, each preprocessing step, the
  // tie-break, the split, the window): none may be left off.
  const split = [
    "dataset d",
    "source: f.inter",
    "5-core filtering",
    "tie-break",
    "leave-one-out",
    "window 50",
  ];
  const card = formatProtocol({
    model: "m",
    dataset: "d",
    split,
    ranking: "full ranking",
    stage: "test",
  });
  assertEquals(card.split("\n")[2], `split: ${split.join("; ")}`);
  assertEquals(card.split("\n").slice(3), [
    "loss: unstated",
    "ranking: full ranking",
    "stage: test, seed: unstated",
  ]);
});
