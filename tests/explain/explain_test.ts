/**
 * explainRecommendations recommends, for each user, the model's best item the user does not have
 * yet (the evaluation's rule), and gives the strongest reasons in order.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { describeRecommendation, explainRecommendations } from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { type Tensor2D, type Tensor3D, tf } from "../../lib/backend/tf.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../../lib/data/types.ts";

await initBackend({ verbose: false });

/** A small synthetic split (40 users, 30 items, histories of 8). */
async function smallSplit(): Promise<LeaveOneOutSplit> {
  const { split } = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  return split;
}

/** The items `user` has before the test target: never recommended. */
function seenBeforeTest(split: LeaveOneOutSplit, user: number): Set<number> {
  return new Set([...split.train[user], split.validTarget[user]]);
}

/**
 * A small untrained model whose scores put `items` far ahead of every other item, each by `bonus`
 * (added after the model's own scores, so that its other items keep their order).
 */
function modelFavouring(
  split: LeaveOneOutSplit,
  items: number[],
  bonus: number,
): SequentialRecommender {
  class Favouring extends SequentialRecommender {
    override scoreLast(batch: SequenceBatch, weights?: Tensor3D): Tensor2D {
      return tf.tidy(() => {
        const favoured = tf.oneHot(tf.tensor1d(items, "int32"), this.numItems).sum(0).mul(bonus);
        return tf.add(super.scoreLast(batch, weights), favoured) as Tensor2D;
      });
    }
  }
  return new Favouring(split.dataset, { dim: 8, maxLength: split.maxLength });
}

Deno.test("explainRecommendations: top unseen item per user, reasons strongest first", async () => {
  const USERS = 40;
  const data = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  const { split } = data;
  const model = new SequentialRecommender(split.dataset, { dim: 16, maxLength: split.maxLength });
  try {
    const { recommendations, histories } = await explainRecommendations(model, split, {
      users: USERS,
      reasons: 4,
    });
    assertEquals(recommendations.length, USERS);
    const { batch } = evaluationBatches(split, "test", USERS)[0];
    const scores = await readAndDispose(model.scoreLast(batch));
    let missed = 0; // users whose test target is not the recommendation
    for (const [row, recommendation] of recommendations.entries()) {
      const user = recommendation.userIndex;
      assertEquals(user, batch.users[row]);
      assertEquals(recommendation.user, split.dataset.userIds[user]);
      assertEquals(recommendation.item, histories.itemName(recommendation.itemIndex));
      const seen = new Set([...split.train[user], split.validTarget[user]]);
      assert(!seen.has(recommendation.itemIndex), "a seen item was recommended");
      // actualNext is the user's test target, not the recommended item.
      assertEquals(recommendation.actualNext, histories.itemName(split.testTarget[user]));
      if (split.testTarget[user] !== recommendation.itemIndex) missed++;
      // Every item is a candidate: internal ids start at 0 (padding is marked by `valid`, not by
      // an item id), and item 0 used to be skipped.
      const best = Math.max(
        ...Array.from({ length: model.numItems }, (_, item) => item)
          .filter((item) => !seen.has(item))
          .map((item) => scores[row * model.numItems + item]),
      );
      assertEquals(scores[row * model.numItems + recommendation.itemIndex], best);
      assertEquals(recommendation.reasons.length, 4);
      const values = recommendation.reasons.map((reason) => reason.normalised);
      assertEquals(values, [...values].sort((a, b) => b - a));
      assertEquals(values[0], Math.max(...histories.rows({ user }).map((r) => r.normalised)));
      // Each reason names the modality and item of its pair in the model's order (id, text, ...).
      const [, positions, modalities] = histories.result.shape;
      for (const reason of recommendation.reasons) {
        const position = positions - reason.recency;
        const modality = model.modalityNames.indexOf(reason.modality);
        const flat = (row * positions + position) * modalities + modality;
        assertEquals(histories.result.normalised[flat], reason.normalised);
        assertEquals(batch.items[row * positions + position], reason.itemIndex);
      }
      assert(describeRecommendation(recommendation).startsWith(`user ${recommendation.user}: `));
    }
    assert(missed > 0, "every recommendation is the test target: actualNext is not checked");
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations: item 0 is a candidate like any other", async () => {
  const split = await smallSplit();
  // Scores that favour item 0 by far: it is the recommendation of every user who does not have it.
  // (Internal ids start at 0; the search used to start at 1 and never recommended item 0.)
  const model = modelFavouring(split, [0], 1e6);
  try {
    const { recommendations } = await explainRecommendations(model, split, { users: 20 });
    const withoutZero = recommendations.filter((r) => !seenBeforeTest(split, r.userIndex).has(0));
    assert(withoutZero.length > 0, "every user has item 0: the fixture tests nothing");
    for (const recommendation of withoutZero) assertEquals(recommendation.itemIndex, 0);
    // No `reasons` option: three reasons each (histories of 8 items have many more pairs).
    for (const recommendation of recommendations) assertEquals(recommendation.reasons.length, 3);
    // No options at all: the first 8 users of the test split, by gradient x input.
    const defaults = await explainRecommendations(model, split);
    assertEquals(defaults.recommendations.map((r) => r.userIndex), [0, 1, 2, 3, 4, 5, 6, 7]);
    assertEquals([defaults.method, defaults.explain], ["gradient_x_input", "recommendation"]);
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations: of equally scored top items, the lowest internal id", async () => {
  const split = await smallSplit();
  // Items 7 and 4 both far ahead (1e9 absorbs the model's own small scores in float32, whose step
  // there is 64): an exact tie, which goes to item 4 for every user who has neither.
  const model = modelFavouring(split, [7, 4], 1e9);
  try {
    const { recommendations } = await explainRecommendations(model, split, { users: 20 });
    const withNeither = recommendations.filter((r) => {
      const items = seenBeforeTest(split, r.userIndex);
      return !items.has(4) && !items.has(7);
    });
    assert(withNeither.length > 0, "every user has item 4 or 7: the fixture tests nothing");
    for (const recommendation of withNeither) assertEquals(recommendation.itemIndex, 4);
    const withFourOnly = recommendations.filter((r) => seenBeforeTest(split, r.userIndex).has(4));
    for (const recommendation of withFourOnly) {
      if (!seenBeforeTest(split, recommendation.userIndex).has(7)) {
        assertEquals(recommendation.itemIndex, 7);
      }
    }
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations: bad options are SettingErrors naming ExplainOptions", async () => {
  const data = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  const { split } = data;
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  try {
    const users = split.train.length;
    const bad: [Record<string, unknown>, string, string][] = [
      // users 0 once failed as "evaluationBatches: batchSize is 0", an internal name.
      [{ users: 0 }, "ExplainOptions.users", `<= ${users}`],
      // More users than the split has were cut to its users silently.
      [{ users: users + 1 }, "ExplainOptions.users", `is ${users + 1};`],
      [{ reasons: 0 }, "ExplainOptions.reasons", "integer >= 1"],
      [{ method: "lime" }, "ExplainOptions.method", '"lime"'],
      [{ explain: "item" }, "ExplainOptions.explain", '"recommendation", "history"'],
      [{ user: 3 }, "ExplainOptions.user", "one of the settings users, method, reasons, explain"],
    ];
    for (const [options, setting, text] of bad) {
      const error = await assertRejects(
        () => explainRecommendations(model, split, options),
        SettingError,
      ) as SettingError;
      assertEquals(error.setting, setting, error.message);
      assertStringIncludes(error.message, text);
    }
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations: users as a list explains those users, in that order", async () => {
  // A count explained only the first users of the split: one chosen user could not be attributed.
  const split = await smallSplit();
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  try {
    const first = await explainRecommendations(model, split, { users: 8, explain: "history" });
    const chosen = await explainRecommendations(model, split, {
      users: [7, 2],
      explain: "history",
    });
    assertEquals(chosen.histories.users, [7, 2]);
    for (const [row, user] of [7, 2].entries()) {
      const recommendation = chosen.recommendations[row];
      assertEquals(recommendation.userIndex, user);
      assertEquals(recommendation.user, split.dataset.userIds[user]);
      assertEquals(recommendation.itemIndex, first.recommendations[user].itemIndex);
      assertEquals(recommendation.actualNext, first.recommendations[user].actualNext);
      // The same pairs, and the same per-user normalised contributions (the batch differs).
      const rows = chosen.histories.rows({ user });
      const alone = first.histories.rows({ user });
      assert(rows.length > 0);
      assertEquals(
        rows.map((r) => [r.itemIndex, r.modality]),
        alone.map((r) => [r.itemIndex, r.modality]),
      );
      const gap = Math.max(...rows.map((r, i) => Math.abs(r.normalised - alone[i].normalised)));
      assert(gap < 1e-4, `normalised contributions differ by ${gap}`);
    }
    const bad: [unknown, string][] = [
      [[], "a non-empty list of internal user ids"],
      [[3, 3], "ExplainOptions.users[1] is 3; allowed: distinct user ids"],
      [[split.train.length], `ExplainOptions.users[0] is ${split.train.length}`],
      ["7", "or a list of internal user ids"],
    ];
    for (const [users, text] of bad) {
      const error = await assertRejects(
        () => explainRecommendations(model, split, { users: users as number }),
        SettingError,
      );
      assertStringIncludes(error.message, text);
    }
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations: the test target is a candidate (only earlier items are seen)", async () => {
  const split = await smallSplit();
  // Scores that favour user 0's test target by far: it is user 0's recommendation, as the
  // evaluation would rank it (only the items before the test target are left out).
  const target = split.testTarget[0];
  assert(!seenBeforeTest(split, 0).has(target), "user 0 had its test target before");
  const model = modelFavouring(split, [target], 1e6);
  try {
    const { recommendations } = await explainRecommendations(model, split, { users: 1 });
    assertEquals(recommendations[0].itemIndex, target);
    assertEquals(recommendations[0].item, recommendations[0].actualNext);
  } finally {
    model.dispose();
  }
});
