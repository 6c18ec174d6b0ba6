/** The dataset views read the flat arrays at the right places. */
import { assertEquals, assertThrows } from "@std/assert";
import type { InteractionDataset, PlantedTruth } from "../../lib/data/types.ts";
import {
  itemInteractionCounts,
  itemLabels,
  plantedInterestShare,
  popularityRanking,
  recentHistory,
  topItemsInteractionShare,
} from "../../lib/data/views.ts";
import { SettingError } from "../../lib/util/settings.ts";

const dataset = {
  name: "tiny",
  numItems: 4,
  userIds: ["a", "b"],
  itemIds: ["i0", "i1", "i2", "i3"],
  itemTitles: ["Zero", "One", "Two", "Three"],
  sequences: [Int32Array.of(1, 2, 3), Int32Array.of(3, 3)],
  modalities: [
    {
      name: "genre",
      kind: "multi_hot",
      dim: 3,
      vocabulary: ["Comedy", "Drama", "Horror"],
      // item 1: Comedy + Horror; item 2: Drama; item 3 lacks the modality.
      values: Float32Array.of(0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0),
      present: Uint8Array.of(0, 1, 1, 0),
    },
  ],
} as unknown as InteractionDataset;

Deno.test("dataset views: counts, multi-hot labels, recent history", () => {
  assertEquals(itemInteractionCounts(dataset), [0, 1, 1, 3]);
  assertEquals(itemLabels(dataset, "genre", 1), ["Comedy", "Horror"]);
  assertEquals(itemLabels(dataset, "genre", 2), ["Drama"]);
  assertEquals(itemLabels(dataset, "genre", 3), []);
  assertThrows(() => itemLabels(dataset, "text", 1), Error, 'no modality "text"');
  assertEquals(recentHistory(dataset, 0, 2), [
    { position: 2, item: 2, title: "Two", modalities: ["genre"] },
    { position: 3, item: 3, title: "Three", modalities: [] },
  ]);
  assertEquals(recentHistory(dataset, 1, 10).map((entry) => entry.position), [1, 2]);
});

Deno.test("recentHistory: a count or user out of range is a SettingError naming it", () => {
  // A negative count gave [] and NaN the whole history, silently.
  const bad: [number, number, string, string][] = [
    [0, -1, "recentHistory: count", "-1"],
    [0, Number.NaN, "recentHistory: count", "NaN"],
    [0, 1.5, "recentHistory: count", "1.5"],
    [2, 1, "recentHistory: user", "2"],
  ];
  for (const [user, count, setting, text] of bad) {
    const error = assertThrows(
      () => recentHistory(dataset, user, count),
      SettingError,
      text,
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
  assertEquals(recentHistory(dataset, 0, 0), []);
});

Deno.test("plantedInterestShare: share of users per truth modality", () => {
  const truth = {
    modalityNames: ["image", "text"],
    // users x modalities: [1, 0], [1, 1], [0, 0], [1, 0]
    pointsOfInterest: Uint8Array.of(1, 0, 1, 1, 0, 0, 1, 0),
  } as unknown as PlantedTruth;
  assertEquals(plantedInterestShare(truth), [0.75, 0.25]);
});

Deno.test("popularityRanking: most interactions first, ranks from 1, ties in item order", () => {
  // Counts per item: [0, 1, 1, 3].
  assertEquals(popularityRanking(dataset), [
    { rank: 1, item: 3, interactions: 3 },
    { rank: 2, item: 1, interactions: 1 },
    { rank: 3, item: 2, interactions: 1 },
    { rank: 4, item: 0, interactions: 0 },
  ]);
});

Deno.test("topItemsInteractionShare: the top percent of items, rounded up to whole items", () => {
  // 25 % of 4 items is item 3 alone: 3 of 5 interactions; 50 % adds one item of 1 interaction.
  assertEquals(topItemsInteractionShare(dataset, 25), 3 / 5);
  assertEquals(topItemsInteractionShare(dataset, 50), 4 / 5);
  assertEquals(topItemsInteractionShare(dataset, 10), 3 / 5); // 0.4 items: one item
  assertEquals(topItemsInteractionShare(dataset, 100), 1);
  // 100 items, item k rated k + 1 times: the top 7 % are 7 items (0.07 × 100 in floating point is
  // 7.000000000000001, which rounded up would take an eighth).
  const hundred = {
    name: "hundred",
    numItems: 100,
    sequences: [
      Int32Array.from(Array.from({ length: 100 }, (_, k) => Array(k + 1).fill(k)).flat()),
    ],
  } as unknown as typeof dataset;
  assertEquals(topItemsInteractionShare(hundred, 7), (100 + 99 + 98 + 97 + 96 + 95 + 94) / 5050);
});

Deno.test("topItemsInteractionShare: a percent outside (0, 100] is a SettingError naming it", () => {
  for (const bad of [0, -5, 100.5, Number.NaN]) {
    const error = assertThrows(
      () => topItemsInteractionShare(dataset, bad),
      SettingError,
      String(bad),
    ) as SettingError;
    assertEquals(error.setting, "topItemsInteractionShare: topPercent");
  }
  const empty = { ...dataset, sequences: [] } as unknown as typeof dataset;
  assertThrows(() => topItemsInteractionShare(empty, 10), Error, "no interactions");
});

Deno.test("itemLabels: a modality without a vocabulary is an error naming it; an absent item has no labels", () => {
  const withDense = {
    ...dataset,
    modalities: [
      ...dataset.modalities,
      {
        name: "image",
        kind: "dense",
        dim: 1,
        values: Float32Array.of(0.5, 0.5, 0.5, 0.5),
        present: Uint8Array.of(1, 1, 1, 1),
      },
    ],
  } as unknown as InteractionDataset;
  assertThrows(
    () => itemLabels(withDense, "image", 1),
    Error,
    'tiny: modality "image" has no vocabulary',
  );
  // The presence flag decides, not the row: an absent item's row is not read, whatever it holds.
  const genre = dataset.modalities[0];
  const stale = {
    ...dataset,
    modalities: [{ ...genre, values: Float32Array.of(1, 0, 0, ...genre.values.subarray(3)) }],
  } as unknown as InteractionDataset;
  assertEquals(itemLabels(stale, "genre", 0), []);
});

Deno.test("recentHistory: without titles, an item shows its external id", () => {
  const untitled = { ...dataset, itemTitles: undefined } as unknown as InteractionDataset;
  assertEquals(recentHistory(untitled, 1, 1)[0].title, "i3");
});

Deno.test("plantedInterestShare: the flat array is user-major (user * modalities + modality)", () => {
  // 3 users x 2 modalities: [1, 0] each; read modality-major it would be [2 / 3, 1 / 3].
  const truth = {
    modalityNames: ["image", "text"],
    pointsOfInterest: Uint8Array.of(1, 0, 1, 0, 1, 0),
  } as unknown as PlantedTruth;
  assertEquals(plantedInterestShare(truth), [1, 0]);
});

Deno.test("topItemsInteractionShare: a fractional percent whose item count is whole takes that many items", () => {
  // 5,000 items, item k rated once more than item k - 1 from item 4,980 on (the others once):
  // 0.14 % of 5,000 is exactly 7 items, though 0.14 × 5000 / 100 is 7.000000000000001 in floating
  // point, which rounded up took an eighth (until session 53). 0.15 % is 7.5: rounded up, 8 items.
  const counts = Array.from({ length: 5000 }, (_, k) => (k < 4980 ? 1 : k - 4978));
  const items = {
    name: "five-thousand",
    numItems: 5000,
    sequences: [Int32Array.from(counts.flatMap((count, k) => Array(count).fill(k)))],
  } as unknown as typeof dataset;
  const total = counts.reduce((sum, count) => sum + count, 0);
  const topSum = (n: number) =>
    [...counts].sort((a, b) => b - a).slice(0, n).reduce((sum, count) => sum + count, 0);
  assertEquals((0.14 * 5000) / 100 > 7, true);
  assertEquals(topItemsInteractionShare(items, 0.14), topSum(7) / total);
  assertEquals(topItemsInteractionShare(items, 0.15), topSum(8) / total);
});
