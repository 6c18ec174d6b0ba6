/**
 * The Beauty-shaped timing workload: its shape, its defaults, what its seed draws, its cluster
 * preference, its history bounds, its protocol fitness, its bad input.
 */
import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { SettingError } from "../../lib/util/settings.ts";
import {
  BEAUTY_SHAPE,
  generateWorkloadDataset,
  type WorkloadShapeConfig,
} from "../../lib/data/workload_shape.ts";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";

const small = { numUsers: 2000, numItems: 1500 };

Deno.test("workload shape: users, items, median and minimum history, distinct items per user", () => {
  const dataset = generateWorkloadDataset(small);
  assertEquals([dataset.numUsers, dataset.numItems], [2000, 1500]);
  const lengths = dataset.sequences.map((s) => s.length).sort((a, b) => a - b);
  assertEquals(lengths[lengths.length >> 1], BEAUTY_SHAPE.medianHistory);
  assertEquals(lengths[0], BEAUTY_SHAPE.minHistory);
  assert(lengths.at(-1)! <= BEAUTY_SHAPE.maxHistory);
  for (const sequence of dataset.sequences) assertEquals(new Set(sequence).size, sequence.length);
  assertEquals(dataset.modalities.map((m) => m.name), ["id", "image", "text"]);
  // Popularity is skewed: the most frequent item is far above the mean.
  const counts = new Int32Array(dataset.numItems);
  for (const sequence of dataset.sequences) for (const item of sequence) counts[item]++;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  assert(Math.max(...counts) > 5 * mean, `max ${Math.max(...counts)}, mean ${mean}`);
});

Deno.test("workload: seeded, users 5-core, splits leave-one-out", () => {
  const first = generateWorkloadDataset(small);
  assertEquals(generateWorkloadDataset(small).metadata.fingerprint, first.metadata.fingerprint);
  assertNotEquals(
    generateWorkloadDataset({ ...small, seed: 1 }).metadata.fingerprint,
    first.metadata.fingerprint,
  );
  // Users meet the k-core already; a few rare items do not (documented).
  const core = kCoreFilter(first);
  assert(core.numUsers > 0.8 * first.numUsers, `${core.numUsers} users left of ${first.numUsers}`);
  assertEquals(leaveOneOutSplit(first, { maxLength: 50 }).train.length, first.numUsers);
});

Deno.test("workload: bad settings name the setting and the allowed range", () => {
  assertThrows(() => generateWorkloadDataset({ numUsers: 0 }), SettingError, "numUsers");
  assertThrows(
    () => generateWorkloadDataset({ medianHistory: 3 }),
    SettingError,
    "workload.medianHistory is 3; allowed: a finite number >= workload.minHistory (5) and <= " +
      "workload.maxHistory (400)",
  );
  assertThrows(
    () => generateWorkloadDataset({ clusterAffinity: 2 }),
    SettingError,
    "workload.clusterAffinity is 2; allowed: a finite number >= 0 and <= 1",
  );
  // Plain Errors before, which let Infinity through: a popularitySkew of Infinity never finished,
  // a historySpread of Infinity clipped every history to its bounds; a misspelt name was dropped.
  const small = { numUsers: 50, numItems: 200, maxHistory: 50, modalities: [] };
  for (const setting of ["popularitySkew", "historySpread"] as const) {
    assertThrows(
      () => generateWorkloadDataset({ ...small, [setting]: Infinity }),
      SettingError,
      `workload.${setting} is Infinity; allowed: a finite number >= 0`,
    );
  }
  assertThrows(
    () => generateWorkloadDataset({ ...small, maxHistory: 201 }),
    SettingError,
    "workload.maxHistory is 201; allowed: an integer >= 1 and <= workload.numItems (200)",
  );
  // Any finite seed was folded into 32 bits: 0.5, 0.99 and -0.5 drew seed 0's dataset under a
  // name of their own; the library's seeds are integers in [0, 2^31 - 1].
  for (const seed of [0.5, -0.5, -1, 2 ** 31, Number.NaN]) {
    const error = assertThrows(
      () => generateWorkloadDataset({ ...small, seed }),
      SettingError,
      `workload.seed is ${seed}; allowed: an integer >= 0 and <= 2147483647`,
    ) as SettingError;
    assertEquals(error.setting, "workload.seed");
  }
  assertEquals(generateWorkloadDataset({ ...small, seed: 2 ** 31 - 1 }).numUsers, 50);
  const misspelt = { ...small, numUser: 10 } as Partial<WorkloadShapeConfig>;
  assertThrows(() => generateWorkloadDataset(misspelt), SettingError, "did you mean numUsers?");
});

Deno.test("workload: a count past V8's array limit is refused before anything is generated", () => {
  // Unchecked, 2^27 + 1 users were generated until the heap ran out (a fatal, uncatchable abort)
  // and 2^27 + 1 items would have allocated gigabytes before the ids' array threw a RangeError.
  // A second bad setting rides along: the sizes are checked first, so the code without the size
  // check names that one at once instead of generating for minutes.
  const tooMany = 2 ** 27 + 1;
  for (const size of ["numUsers", "numItems"] as const) {
    const element = size === "numUsers" ? "user" : "item";
    const error = assertThrows(
      () => generateWorkloadDataset({ [size]: tooMany, clusters: 0 }),
      SettingError,
      `allowed: an integer >= 1 and <= 134217728 (2^27: one JS array element per ${element})`,
    ) as SettingError;
    assertEquals([error.setting, error.value], [`workload.${size}`, tooMany]);
  }
  // The limit itself is allowed (the check is not off by one); clusters 0 is then the error
  // (without content modalities: 2^27 items of the default 64-d ones are too many values).
  assertThrows(
    () => generateWorkloadDataset({ numItems: 2 ** 27, modalities: [], clusters: 0 }),
    SettingError,
    "workload.clusters",
  );
});

Deno.test("workload: features past 2^31 - 1 values are refused before anything is generated", () => {
  // Unchecked, 1,000 items x 2^22 were allocated (16 GiB) and filled: over 2 GB resident after
  // 30 s, no error. clusters 0 rides along as above, so the unchecked code fails at once.
  const wide = { numItems: 1000, modalities: [{ name: "image", dim: 2 ** 22 }], clusters: 0 };
  const error = assertThrows(
    () => generateWorkloadDataset(wide),
    SettingError,
    "allowed: an integer >= 1 and <= 2147483 (numItems (1000) * dim feature values at most " +
      "2^31 - 1)",
  ) as SettingError;
  assertEquals([error.setting, error.value], ["workload.modalities[image].dim", 2 ** 22]);
  const widest = { ...wide, modalities: [{ name: "image", dim: 2147483 }] };
  assertThrows(() => generateWorkloadDataset(widest), SettingError, "workload.clusters");
});

Deno.test("workload: more clusters than items is refused (an empty cluster repeated item 0)", () => {
  const tooManyClusters = { numUsers: 50, numItems: 20, clusters: 40, maxHistory: 20, seed: 3 };
  for (const clusters of [40, 21]) {
    const error = assertThrows(
      () => generateWorkloadDataset({ ...tooManyClusters, clusters }),
      SettingError,
      "<= workload.numItems (20)",
    ) as SettingError;
    assertEquals([error.setting, error.value], ["workload.clusters", clusters]);
  }
  // As many clusters as items is fine: every history still has distinct items.
  const dataset = generateWorkloadDataset({ ...tooManyClusters, clusters: 20 });
  for (const sequence of dataset.sequences) assertEquals(new Set(sequence).size, sequence.length);
});

Deno.test("workload: the defaults are Amazon Beauty's shape, and a seed draws the same data", () => {
  assertEquals(BEAUTY_SHAPE, {
    seed: 0,
    numUsers: 22363,
    numItems: 12101,
    medianHistory: 6,
    minHistory: 5,
    historySpread: 0.75,
    maxHistory: 400,
    modalities: [{ name: "image", dim: 64 }, { name: "text", dim: 64 }],
    clusters: 50,
    clusterAffinity: 0.7,
    popularitySkew: 0.8,
  });
  // What seed 7 draws at this shape (content fingerprint: histories, features, presence). A drift
  // in the popularity order, the clusters, the lengths or the features times another workload.
  const overrides = {
    numUsers: 300,
    numItems: 400,
    maxHistory: 50,
    modalities: [{ name: "image", dim: 4 }],
    seed: 7,
  };
  const dataset = generateWorkloadDataset(overrides);
  assertEquals(dataset.metadata.fingerprint, "504f26b13b883bc3");
  assertEquals(dataset.name, "workload-300x400-seed7");
  assertEquals(dataset.metadata.preprocessing, [
    `workload shape: ${JSON.stringify({ ...BEAUTY_SHAPE, ...overrides })}`,
  ]);
  const image = dataset.modalities[1];
  assertEquals(
    image.provenance.source,
    "generateWorkloadDataset (seed 7): Gaussian, for timing only",
  );
  assertEquals(Array.from(new Set(image.present)), [1]);
  // N(0, 1 / dim) per component: the mean square of the 1,600 values is near 1/4.
  const meanSquare = image.values.reduce((sum, v) => sum + v * v, 0) / image.values.length;
  assert(Math.abs(meanSquare - 0.25) < 0.05, `mean square ${meanSquare}`);
});

Deno.test("workload: clusterAffinity 1 keeps each history inside its user's cluster", () => {
  // Cluster of item i = i % clusters; with affinity 1 every next item comes from that cluster.
  const dataset = generateWorkloadDataset({
    numUsers: 100,
    numItems: 300,
    maxHistory: 30,
    clusters: 5,
    clusterAffinity: 1,
    modalities: [],
  });
  for (const sequence of dataset.sequences) {
    assertEquals(new Set(Array.from(sequence, (item) => item % 5)).size, 1, `${sequence}`);
  }
});

Deno.test("workload: every item can be drawn, the last of the popularity list and of a cluster", () => {
  // One item per user, 400 users, 4 items in 2 clusters ([0, 2] and [1, 3]): each item turns up.
  const dataset = generateWorkloadDataset({
    numUsers: 400,
    numItems: 4,
    medianHistory: 1,
    minHistory: 1,
    maxHistory: 1,
    historySpread: 0,
    clusters: 2,
    modalities: [],
  });
  assertEquals([...new Set(dataset.sequences.map((s) => s[0]))].sort(), [0, 1, 2, 3]);
});

Deno.test("workload: histories are cut to maxHistory and raised to minHistory", () => {
  // A wide spread draws raw lengths far past both bounds (up to about 6 e^3 = 120 < numItems).
  const dataset = generateWorkloadDataset({
    numUsers: 300,
    numItems: 2000,
    maxHistory: 8,
    historySpread: 1,
    modalities: [],
  });
  const lengths = dataset.sequences.map((s) => s.length);
  assertEquals([Math.min(...lengths), Math.max(...lengths)], [5, 8]);
});

Deno.test("workload: minHistory and maxHistory are checked as themselves, their bounds allowed", () => {
  const small = { numUsers: 50, numItems: 200, modalities: [] };
  // minHistory 0 ran silently (a history may be empty); maxHistory 0 was blamed on medianHistory
  // and a fractional maxHistory threw a RangeError from the typed array.
  for (
    const [setting, value] of [["minHistory", 0], ["minHistory", 2.5], ["maxHistory", 0], [
      "maxHistory",
      7.5,
    ]] as const
  ) {
    const error = assertThrows(
      () => generateWorkloadDataset({ ...small, maxHistory: 50, [setting]: value }),
      SettingError,
      `workload.${setting} is ${value}; allowed: an integer >= 1`,
    ) as SettingError;
    assertEquals(error.setting, `workload.${setting}`);
  }
  // The median may sit on either bound: every history is then that long.
  for (const bounds of [{ minHistory: 6, maxHistory: 50 }, { minHistory: 5, maxHistory: 6 }]) {
    const dataset = generateWorkloadDataset({ ...small, ...bounds, medianHistory: 6 });
    assertEquals(dataset.sequences.map((s) => s.length).sort((a, b) => a - b)[25], 6);
  }
});

Deno.test("workload: a content modality named id, unnamed or named twice is refused", () => {
  // They were generated: two modalities of one name (modalities are keyed by name), or a second
  // "id" next to the learned item-id modality.
  const small = { numUsers: 50, numItems: 200, maxHistory: 50 };
  const cases: [{ name: string; dim: number }[], string, string][] = [
    [[{ name: "id", dim: 4 }], "workload.modalities[0].name", '"id"'],
    [[{ name: "", dim: 4 }], "workload.modalities[0].name", '""'],
    [
      [{ name: "image", dim: 4 }, { name: "image", dim: 8 }],
      "workload.modalities[1].name",
      '"image"',
    ],
  ];
  for (const [modalities, setting, shown] of cases) {
    const error = assertThrows(
      () => generateWorkloadDataset({ ...small, modalities }),
      SettingError,
      `${setting} is ${shown}; allowed: a non-empty name, not "id" (added for every dataset) and ` +
        "not used twice",
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
  const two = [{ name: "image", dim: 4 }, { name: "text", dim: 8 }];
  assertEquals(
    generateWorkloadDataset({ ...small, modalities: two }).modalities.map((m) => m.name),
    ["id", "image", "text"],
  );
});

Deno.test("workload: modalities that are not a list of { name, dim } are SettingErrors", () => {
  // A string threw a TypeError from forEach; a misspelt key read as an undefined dim.
  const small = { numUsers: 50, numItems: 200, maxHistory: 50 };
  const cases: [unknown, string, string][] = [
    ["image", "workload.modalities", 'is "image"; allowed: a list of { name, dim } (may be empty)'],
    [[{ name: "image", dims: 4 }], "workload.modalities[0].dims", "did you mean dim?"],
    [[null], "workload.modalities[0]", "an object with some of the settings name, dim"],
  ];
  for (const [modalities, setting, text] of cases) {
    const error = assertThrows(
      () => generateWorkloadDataset({ ...small, modalities } as Partial<WorkloadShapeConfig>),
      SettingError,
      text,
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
});

Deno.test("workload: every modality's dim is checked, and its features' record says how they were drawn", () => {
  // Mutation round KD (KD46, KD22): a bad dim past the first modality, and the normalisation text.
  const small = { numUsers: 20, numItems: 50, maxHistory: 10 };
  const modalities = [{ name: "image", dim: 2 }, { name: "text", dim: 0 }];
  const error = assertThrows(
    () => generateWorkloadDataset({ ...small, modalities }),
    SettingError,
    "workload.modalities[text].dim is 0;",
  ) as SettingError;
  assertEquals(error.setting, "workload.modalities[text].dim");
  const dataset = generateWorkloadDataset({ ...small, modalities: [{ name: "image", dim: 2 }] });
  assertEquals(dataset.modalities[1].provenance, {
    source: "generateWorkloadDataset (seed 0): Gaussian, for timing only",
    normalisation: "N(0, 1 / dim) per component",
  });
});
