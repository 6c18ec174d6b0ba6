import {
  assert,
  assertEquals,
  assertNotEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import {
  type BatcherConfig,
  DEFAULT_BATCHER,
  evaluationBatches,
  padLeft,
  trainingBatchCount,
  trainingBatches,
} from "../../lib/data/protocol/batcher.ts";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { datasetStatistics, formatStatistics } from "../../lib/data/protocol/statistics.ts";
import { createRng } from "../../lib/util/random.ts";
import { SettingError } from "../../lib/util/settings.ts";
import type { LeaveOneOutSplit } from "../../lib/data/types.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

Deno.test("kCoreFilter reaches the fixed point in the hand-computed case (needs a second round)", () => {
  // items a=0 b=1 c=2 d=3. k=2: round 1 drops u3 (1 item), c and d (1 user each); then u2 is
  // left with [a] only and is dropped in round 2; u0 and u1 keep [a, b].
  const dataset = tinyDataset([[0, 1], [1, 0], [0, 2], [3]], 4);
  const core = kCoreFilter(dataset, { k: 2 });
  assertEquals(core.userIds, ["u0", "u1"]);
  assertEquals(core.itemIds, ["i0", "i1"]);
  assertEquals(core.sequences.map((s) => Array.from(s)), [[0, 1], [1, 0]]);
  assertEquals(core.timestamps?.map((s) => Array.from(s)), [[100, 101], [100, 101]]);
  assertEquals(Array.from(core.modalities[1].values), [0, 0]); // item 0 has value 0, item 1 missing
  assertEquals(Array.from(core.modalities[1].present), [1, 0]);
  assertEquals(core.metadata.fingerprint, datasetFingerprint(core));
  // What the filter kept is stated: u2, u3, c and d go, 4 of the 7 interactions stay.
  assertEquals(core.metadata.preprocessing, [
    "2-core filtering (iterated to a fixed point: 3 rounds): kept 2 of 4 users, 2 of 4 items, " +
    "4 of 7 interactions",
  ]);
});

Deno.test("kCoreFilter on data that is already a k-core records one round, in the singular", () => {
  const core = kCoreFilter(tinyDataset([[0, 1], [1, 0]], 2), { k: 2 });
  assertEquals(core.metadata.preprocessing, [
    "2-core filtering (iterated to a fixed point: 1 round): kept 2 of 2 users, 2 of 2 items, " +
    "4 of 4 interactions",
  ]);
});

Deno.test("kCoreFilter: a removed user no longer counts for its items", () => {
  // k=2, round 1: u2 (1 item) and i3 (1 user) go; u3 is left with [i2], so round 2 drops u3,
  // and i2 is then held by u3 alone (u2 is gone): i2 goes too.
  const core = kCoreFilter(tinyDataset([[0, 1], [0, 1], [2], [2, 3]], 4), { k: 2 });
  assertEquals(core.userIds, ["u0", "u1"]);
  assertEquals(core.itemIds, ["i0", "i1"]);
});

Deno.test("kCoreFilter: presence and timestamps follow their items and positions", () => {
  // k=2 drops i0 only (one interaction). Kept items i1 -> 0, i2 -> 1. The fixture's "value"
  // modality is present for even items (i1 absent, i2 present); timestamps are 100 + position,
  // so u0 keeps positions 1, 2 of [0, 1, 2].
  const core = kCoreFilter(tinyDataset([[0, 1, 2], [1, 2], [2, 1]], 3), { k: 2 });
  assertEquals(core.itemIds, ["i1", "i2"]);
  assertEquals(core.sequences.map((s) => Array.from(s)), [[0, 1], [0, 1], [1, 0]]);
  assertEquals(Array.from(core.modalities[1].present), [0, 1]);
  assertEquals(Array.from(core.modalities[1].values), [0, 2]);
  assertEquals(core.timestamps?.map((s) => Array.from(s)), [[101, 102], [100, 101], [100, 101]]);
});

Deno.test("kCoreFilter result is a k-core and the largest one (random data, brute-force check)", () => {
  const rng = createRng(3);
  const sequences = Array.from(
    { length: 40 },
    () => Array.from({ length: 1 + rng.int(8) }, () => rng.int(25)),
  );
  const dataset = tinyDataset(sequences, 25);
  const core = kCoreFilter(dataset, { k: 3 });
  assert(core.numUsers > 0 && core.numUsers < dataset.numUsers, "the case must be non-trivial");
  const itemCount = new Map<string, number>();
  for (const s of core.sequences) {
    assert(s.length >= 3);
    for (const i of s) itemCount.set(core.itemIds[i], (itemCount.get(core.itemIds[i]) ?? 0) + 1);
  }
  for (const count of itemCount.values()) assert(count >= 3);
  // maximality: a removed user would still fall below 3 using only kept items
  const keptItems = new Set(core.itemIds);
  dataset.sequences.forEach((s, u) => {
    if (core.userIds.includes(dataset.userIds[u])) return;
    const kept = Array.from(s).filter((i) => keptItems.has(dataset.itemIds[i])).length;
    assert(kept < 3, `user ${u} could have stayed`);
  });
});

Deno.test("leaveOneOutSplit takes the last item for test and the one before for validation", () => {
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5]], 7), { maxLength: 2 });
  assertEquals(split.train.map((s) => Array.from(s)), [[3, 1, 4], [2]]);
  assertEquals(Array.from(split.validTarget), [1, 6]);
  assertEquals(Array.from(split.testTarget), [5, 5]);
  assert(split.protocol.some((line) => line.includes("most recent 2 items")));
  // The card names where the data came from, not only its label.
  assertEquals(split.protocol[1], "source: test");
  assertThrows(() => leaveOneOutSplit(tinyDataset([[1, 2]], 3)), Error, "user u0 (index 0) has 2");
});

Deno.test("padLeft and the batchers left-pad, cut to the most recent items and align targets", () => {
  assertEquals(Array.from(padLeft([0], [Int32Array.of(4, 5)], 3).items), [0, 4, 5]);
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5, 9], [7, 8, 2, 6]], 10), {
    maxLength: 2,
  });
  // user 0 train [3,1,4,1]: pairs (3->1, 1->4, 4->1), keep last 2; user 1 train [7,8]: (7->8)
  const [batch] = trainingBatches(split, 0, {
    batchSize: 8,
    seed: 0,
    shuffle: false,
    windows: "last",
  });
  assertEquals(Array.from(batch.users), [0, 1]);
  assertEquals(Array.from(batch.items), [1, 4, 0, 7]);
  assertEquals(Array.from(batch.targets!), [4, 1, 0, 8]);
  assertEquals(Array.from(batch.valid), [1, 1, 0, 1]);
  const [test] = evaluationBatches(split, "test", 8);
  assertEquals(Array.from(test.batch.items), [1, 5, 8, 2]); // train + validation item, last 2
  assertEquals(Array.from(test.targets), [9, 6]);
  const [valid] = evaluationBatches(split, "valid", 8);
  assertEquals(Array.from(valid.batch.items), [4, 1, 7, 8]);
  assertEquals(Array.from(valid.targets), [5, 2]);
  // No per-position targets outside training: a loss given an evaluation batch throws ("no
  // targets") rather than training on zeros (the padding item).
  assertEquals(padLeft([0], [Int32Array.of(4, 5)], 3).targets, undefined);
  assertEquals([test.batch.targets, valid.batch.targets], [undefined, undefined]);
});

Deno.test("evaluationBatches: a stage other than valid or test is a SettingError, not the test targets", () => {
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5, 9], [7, 8, 2, 6]], 10));
  // An untyped caller (a notebook cell) that wrote "validation" got the test batches.
  for (const stage of ["validation", "Valid", ""]) {
    const error = assertThrows(
      () => evaluationBatches(split, stage as "valid", 8),
      SettingError,
      `evaluationBatches: stage is "${stage}"; allowed: one of "valid", "test"`,
    );
    assertEquals(error.message.split("\n").length, 1);
  }
  assertThrows(() => evaluationBatches(split, "valid", 0), SettingError, "batchSize is 0");
});

Deno.test("trainingBatches: an unknown or out-of-range setting is a SettingError naming it", () => {
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5, 9], [7, 8, 2, 6]], 10), {
    maxLength: 2,
  });
  const good = { batchSize: 8, seed: 0, shuffle: true };
  const bad: [Record<string, unknown>, number, string, string][] = [
    // A typo of `windows` was ignored: every window was trained on instead of the last.
    [{ ...good, window: "last" }, 0, "BatcherConfig.window", "did you mean windows?"],
    [{ ...good, seed: 1.5 }, 0, "BatcherConfig.seed", "1.5"],
    [{ ...good, seed: Number.NaN }, 0, "BatcherConfig.seed", "NaN"],
    [{ ...good, seed: -1 }, 0, "BatcherConfig.seed", "-1"],
    [{ ...good, seed: 2 ** 31 }, 0, "BatcherConfig.seed", "2147483648"],
    // An unknown value was read as "all" (every window trained on).
    [{ ...good, windows: "first" }, 0, "BatcherConfig.windows", '"first"'],
    [{ ...good, shuffle: "false" }, 0, "BatcherConfig.shuffle", '"false"'],
    [good, 0.5, "trainingBatches: epoch", "0.5"],
    // The documented range is >= 0: a negative epoch drew an order no counted epoch gives.
    [good, -1, "trainingBatches: epoch", "-1"],
  ];
  for (const [config, epoch, setting, text] of bad) {
    const error = assertThrows(
      () => trainingBatches(split, epoch, config as unknown as BatcherConfig),
      SettingError,
      text,
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
});

Deno.test("evaluationBatches: a batch size below 1 is a SettingError, not an endless loop", () => {
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5, 9], [7, 8, 2, 6]], 10));
  for (const batchSize of [0, -1, 1.5]) {
    const error = assertThrows(
      () => evaluationBatches(split, "test", batchSize),
      SettingError,
      `is ${batchSize};`,
    ) as SettingError;
    assertEquals(error.setting, "evaluationBatches: batchSize");
  }
  assertEquals(evaluationBatches(split, "test", 1).length, 2);
});

Deno.test("evaluationBatches: users are batched in the order listed; a bad list is a SettingError", () => {
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5, 9], [7, 8, 2, 6], [2, 6, 5, 3]], 10));
  const batches = evaluationBatches(split, "test", 2, [2, 0, 1]);
  assertEquals(batches.map(({ batch }) => Array.from(batch.users)), [[2, 0], [1]]);
  assertEquals(batches.map(({ targets }) => Array.from(targets)), [[3, 9], [6]]);
  // Checked here too, not only by its callers: an id past the users read no history (a TypeError),
  // and a repeated one was batched twice.
  const bad: [number[], string][] = [
    [[], "evaluationBatches: users"],
    [[1, 1], "evaluationBatches: users[1]"],
    [[0, 3], "evaluationBatches: users[1]"],
    [[-1], "evaluationBatches: users[0]"],
  ];
  for (const [users, setting] of bad) {
    const error = assertThrows(
      () => evaluationBatches(split, "test", 2, users),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
  // A repeat names where the id was first listed, so the caller can find both entries.
  const repeated = assertThrows(
    () => evaluationBatches(split, "test", 2, [2, 0, 2]),
    SettingError,
  ) as SettingError;
  assertEquals(repeated.setting, "evaluationBatches: users[2]");
  assertStringIncludes(repeated.message, "user 2 is already at index 0");
});

Deno.test("trainingBatches order is a seeded permutation: same seed same order, epochs differ", () => {
  const sequences = Array.from({ length: 30 }, (_, u) => [u % 5, (u + 1) % 5, (u + 2) % 5, 1, 2]);
  const split = leaveOneOutSplit(tinyDataset(sequences, 5));
  const order = (seed: number, epoch: number) =>
    trainingBatches(split, epoch, { batchSize: 7, seed, shuffle: true }).flatMap((b) =>
      Array.from(b.users)
    );
  assertEquals(order(4, 0), order(4, 0));
  assertNotEquals(order(4, 0), order(4, 1));
  assertEquals([...order(4, 1)].sort((a, b) => a - b), [...Array(30).keys()]);
});

Deno.test("datasetStatistics counts, nearest-rank quantiles and coverage; fingerprint is content-based", () => {
  const dataset = tinyDataset([[0, 1], [0, 1, 2, 3], [2, 3, 0]], 4);
  const stats = datasetStatistics(dataset);
  assertEquals([stats.users, stats.items, stats.interactions], [3, 4, 9]);
  assertEquals(stats.density, 9 / 12);
  assertEquals(stats.historyLength.median, 3);
  assertEquals([stats.historyLength.min, stats.historyLength.max], [2, 4]);
  assertEquals(stats.modalities[1].coverage, 0.5);
  const table = formatStatistics(stats);
  assert(table.includes("modality value") && table.includes("coverage 50.0 %"));
  const changed = tinyDataset([[0, 1], [0, 1, 2, 3], [2, 3, 1]], 4);
  assertNotEquals(datasetFingerprint(changed), datasetFingerprint(dataset));
  assertEquals(
    datasetFingerprint(tinyDataset([[0, 1], [0, 1, 2, 3], [2, 3, 0]], 4)),
    stats.fingerprint,
  );
});

Deno.test("training windows cover a long history once each, most recent window first", () => {
  // One user with 12 training items and maxLength 5: 11 pairs -> windows of 5, 5 and 1 pairs.
  const items = Int32Array.from({ length: 12 }, (_, i) => i);
  const split: LeaveOneOutSplit = {
    dataset: tinyDataset([[...items, 12, 13]], 14),
    train: [items],
    validTarget: Int32Array.of(12),
    testTarget: Int32Array.of(13),
    maxLength: 5,
    protocol: [],
  };
  const [batch] = trainingBatches(split, 0, { batchSize: 8, seed: 0, shuffle: false });
  assertEquals(Array.from(batch.windows ?? []), [0, 1, 2]);
  const rows = [0, 1, 2].map((row) => ({
    items: Array.from(batch.items.subarray(row * 5, row * 5 + 5)),
    targets: Array.from(batch.targets?.subarray(row * 5, row * 5 + 5) ?? []),
    valid: Array.from(batch.valid.subarray(row * 5, row * 5 + 5)),
  }));
  assertEquals(rows[0], {
    items: [6, 7, 8, 9, 10],
    targets: [7, 8, 9, 10, 11],
    valid: [1, 1, 1, 1, 1],
  });
  assertEquals(rows[1], {
    items: [1, 2, 3, 4, 5],
    targets: [2, 3, 4, 5, 6],
    valid: [1, 1, 1, 1, 1],
  });
  assertEquals(rows[2], {
    items: [0, 0, 0, 0, 0],
    targets: [0, 0, 0, 0, 1],
    valid: [0, 0, 0, 0, 1],
  });
  // Every training target appears exactly once.
  const targets = rows.flatMap((r) => r.targets.filter((_, i) => r.valid[i] === 1)).sort((a, b) =>
    a - b
  );
  assertEquals(targets, Array.from({ length: 11 }, (_, i) => i + 1));
  const last = trainingBatches(split, 0, {
    batchSize: 8,
    seed: 0,
    shuffle: false,
    windows: "last",
  });
  assertEquals(last[0].batchSize, 1);
  assertEquals(Array.from(last[0].items), rows[0].items);
});

/** User u has u training items (0..13; below 2 items no pair), cut into windows of 3 pairs. */
function windowedSplit(): LeaveOneOutSplit {
  const train = Array.from({ length: 14 }, (_, u) => Int32Array.from({ length: u }, (_, i) => i));
  return {
    dataset: tinyDataset(train.map((items) => [...items, 14, 15]), 16),
    train,
    validTarget: new Int32Array(14).fill(14),
    testTarget: new Int32Array(14).fill(15),
    maxLength: 3,
    protocol: [],
  };
}

Deno.test("trainingBatchCount is the batch count of every epoch, counted without the batches", () => {
  const split = windowedSplit();
  for (const windows of ["all", "last"] as const) {
    for (const batchSize of [1, 4, 7, 100]) {
      const config = { batchSize, seed: 2, shuffle: true, windows };
      const counts = [0, 1, 5].map((epoch) => trainingBatches(split, epoch, config).length);
      assertEquals(counts.map(() => trainingBatchCount(split, config)), counts, windows);
    }
  }
  assertThrows(
    () => trainingBatchCount(split, { batchSize: 0, seed: 0, shuffle: true }),
    SettingError,
    "BatcherConfig.batchSize is 0",
  );
});

Deno.test("trainingBatches and trainingBatchCount without a config use DEFAULT_BATCHER", () => {
  // 200 users of 5 training items, windows of 2 pairs: 400 rows with every window (4 batches of
  // 128), 200 with the last only (2 batches); the default order is shuffled, not the user order.
  const train = Array.from({ length: 200 }, (_, u) => Int32Array.of(0, 1, 2, 3, u % 4));
  const split: LeaveOneOutSplit = {
    dataset: tinyDataset(train.map((items) => [...items, 4, 5]), 6),
    train,
    validTarget: new Int32Array(200).fill(4),
    testTarget: new Int32Array(200).fill(5),
    maxLength: 2,
    protocol: [],
  };
  assertEquals(trainingBatchCount(split), trainingBatchCount(split, DEFAULT_BATCHER));
  assertEquals(trainingBatchCount(split), 4);
  for (const epoch of [0, 1]) {
    assertEquals(trainingBatches(split, epoch), trainingBatches(split, epoch, DEFAULT_BATCHER));
  }
});

Deno.test("training rows: ceil(pairs / maxLength) windows (1 with windows last), none empty; a one-item history has none", () => {
  // Histories of 0..13 items, windows of 3 pairs: 3, 6, 9 and 12 pairs fill whole windows (an
  // extra window there would be a row of padding only), 1 item is no pair at all.
  const split = windowedSplit();
  for (const windows of ["all", "last"] as const) {
    const [batch] = trainingBatches(split, 0, { batchSize: 100, seed: 0, shuffle: false, windows });
    const rowsOf = new Array(14).fill(0);
    for (let row = 0; row < batch.batchSize; row++) {
      rowsOf[batch.users[row]]++;
      const real = batch.valid.subarray(row * 3, row * 3 + 3).reduce((a, b) => a + b, 0);
      assert(real > 0, `${windows}: row ${row} (user ${batch.users[row]}) has no real position`);
    }
    const expected = split.train.map(({ length }) =>
      length < 2 ? 0 : windows === "last" ? 1 : Math.ceil((length - 1) / 3)
    );
    assertEquals(rowsOf, expected, windows);
  }
});

Deno.test("k-core and split settings: SettingErrors naming KCoreConfig and SplitConfig", () => {
  const dataset = tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5]], 7);
  const bad: [() => unknown, string, string][] = [
    [() => leaveOneOutSplit(dataset, { maxLength: 0 }), "SplitConfig.maxLength", "integer >= 1"],
    [() => leaveOneOutSplit(dataset, { maxLength: 2.5 }), "SplitConfig.maxLength", "2.5"],
    [
      () => leaveOneOutSplit(dataset, { maxLen: 5 } as never),
      "SplitConfig.maxLen",
      "one of the settings maxLength",
    ],
    [() => kCoreFilter(dataset, { k: 0 }), "KCoreConfig.k", "integer >= 1"],
    [() => kCoreFilter(dataset, { k: 5, K: 3 } as never), "KCoreConfig.K", "one of the settings k"],
  ];
  for (const [call, setting, text] of bad) {
    const error = assertThrows(call, SettingError) as SettingError;
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
  }
});
