import { assertEquals, assertThrows } from "@std/assert";
import {
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 3 users over 8 items; user u walks u, u+1, ..., u+4: train = [u, u+1, u+2], valid u+3, test u+4.
const split = leaveOneOut(cycleDataset(3, 8, 5));
const config = { count: 2, seed: 0 };

Deno.test("a persisted negatives file is checked row by row, naming the file, user and field", () => {
  const good = sampleEvaluationNegatives(split, config);
  const other = (user: number) => good.negatives[user][0]; // an item the user never interacted with
  // [row to store for one user, that user, what the error says]
  const cases: Array<[unknown, number, string]> = [
    [[4], 0, "negatives[0] holds 1 negatives, expected 2"], // truncated, and the test target
    // One too many (user 0 never saw 5, 6 or 7): a longer row would rank among 1 + 3, not 1 + 2.
    [[5, 6, 7], 0, "negatives[0] holds 3 negatives, expected 2"],
    [[4, other(0)], 0, "negatives[0][0] = 4 is the user's test target"],
    [[other(0), 3], 0, "negatives[0][1] = 3 is the user's validation target"],
    [[2, other(0)], 0, "negatives[0][0] = 2 is in the user's training history"],
    [[other(1), other(1)], 1, "negatives[1][1] = " + other(1) + " repeats negatives[1][0]"],
    [[8, other(2)], 2, "negatives[2][0] = 8 is not an item id (an integer from 0 to 7)"],
    [[other(2), 1.5], 2, "negatives[2][1] = 1.5 is not an item id"],
    [[-1, other(2)], 2, "negatives[2][0] = -1 is not an item id (an integer from 0 to 7)"],
    [[other(2), "0"], 2, 'negatives[2][1] = "0" is not an item id'],
    [null, 1, "negatives[1] is null, not a list of item ids"],
  ];
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    for (const [row, user, says] of cases) {
      const negatives = good.negatives.map((r, u) => (u === user ? row : r));
      Deno.writeTextFileSync(path, JSON.stringify({ ...good, negatives }));
      assertThrows(
        () => loadOrCreateSampledNegatives(path, split, config),
        Error,
        `${path}: user u${user} (index ${user}): ${says}`,
      );
    }
    // The sampler's own file loads as written.
    Deno.writeTextFileSync(path, JSON.stringify(good));
    assertEquals(loadOrCreateSampledNegatives(path, split, config), good);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("the draw is the seed's: each seed's rows are pinned, and two seeds draw other rows", () => {
  // 3 users over 12 items, 5 interactions each: 7 unseen items per user. These rows are what every
  // persisted negatives file of such a split holds: a change here invalidates recorded numbers.
  const wide = leaveOneOut(cycleDataset(3, 12, 5));
  const rows = (seed: number) => sampleEvaluationNegatives(wide, { count: 3, seed }).negatives;
  assertEquals(rows(0), [[8, 11, 5], [6, 10, 7], [11, 9, 10]]);
  assertEquals(rows(7), [[11, 8, 10], [7, 10, 6], [1, 0, 8]]);
  assertEquals(sampleEvaluationNegatives(wide, { count: 3, seed: 7 }).seed, 7);
});

Deno.test("too few unseen items is refused naming the user by id and index, and the counts", () => {
  // User 0 walks 0..4 of 8 items: 5, 6, 7 are unseen, so 4 negatives cannot be drawn.
  assertThrows(
    () => sampleEvaluationNegatives(split, { count: 4, seed: 0 }),
    Error,
    "sampled ranking: user u0 (index 0) has only 3 unseen items, fewer than 4 negatives",
  );
});
