/** The dataset views read the flat arrays at the right places. */
import { assertEquals, assertThrows } from "@std/assert";
import type { InteractionDataset, PlantedTruth } from "../../lib/data/types.ts";
import {
  itemInteractionCounts,
  itemLabels,
  plantedInterestShare,
  recentHistory,
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
