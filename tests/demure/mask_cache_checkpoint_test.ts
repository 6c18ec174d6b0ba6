/**
 * The noise-mask cache in a checkpoint file: saveMaskCache's tensors are [entries, width] (1 for
 * the keys and ages, positions for the items, positions x modalities for the masks and scores),
 * they go through the safetensors file the trainer writes, and restoreMaskCache rebuilds a cache
 * that serves the same masks with the same counters. A missing tensor is refused naming it; the
 * hint about masks that aged in steps is given only where such a checkpoint differs (no `uses`).
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  decodeSafetensors,
  encodeSafetensors,
  type HostTensor,
} from "../../lib/checkpoint/safetensors.ts";
import { restoreMaskCache, saveMaskCache } from "../../lib/demure/_mask_cache_checkpoint.ts";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";

const POSITIONS = 3;
const MODALITIES = 2;
const schedule = { warmupSteps: 0, everyVisits: 2 };
// Two rows: a key above 2^16 (it is stored as two halves) and a small one.
const users = [70001, 5];
const items = [1, 2, 3, 4, 5, 6];
const perRow = POSITIONS * MODALITIES;
const noiseMask = Uint8Array.from({ length: 2 * perRow }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
const scores = Float32Array.from({ length: 2 * perRow }, (_, i) => i / 10);

/** A cache that computed the rows' masks once and served them once more (1 computed, 1 reused). */
function usedCache(): NoiseMaskCache {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule);
  cache.noiseMaskFor(0, users, items, () => ({ noiseMask, scores }));
  cache.noiseMaskFor(1, users, items, () => {
    throw new Error("the second visit is served from the cache");
  });
  return cache;
}

Deno.test("mask cache checkpoint: [entries, width] tensors through a safetensors file, restored as saved", () => {
  const cache = usedCache();
  const tensors = new Map<string, HostTensor>();
  const saved = saveMaskCache(cache, tensors);
  assertEquals(saved, { positions: POSITIONS, computed: 1, reused: 1 });
  const shapes = Object.fromEntries([...tensors].map(([name, tensor]) => [name, tensor.shape]));
  assertEquals(shapes, {
    "demure/keysHigh": [2, 1],
    "demure/keysLow": [2, 1],
    "demure/uses": [2, 1],
    "demure/items": [2, POSITIONS],
    "demure/noise": [2, perRow],
    "demure/scores": [2, perRow],
  });
  // The trainer writes these tensors to its checkpoint file, which checks each shape's size.
  const file = decodeSafetensors(encodeSafetensors(tensors), "last.safetensors");
  const restored = restoreMaskCache(saved, file.tensors, MODALITIES, schedule)!;
  assertEquals(restored.stats(), cache.stats());
  assertEquals(restored.lookup(users, items), cache.lookup(users, items));
  // Two visits served: the third recomputes, in the restored cache as in the original.
  assertEquals(restored.needsRefresh(2, users, items), true);
  assertEquals(cache.needsRefresh(2, users, items), true);
  // No cache yet (the warm-up): nothing saved, nothing restored.
  assertEquals(saveMaskCache(undefined, new Map()), null);
  assertEquals(restoreMaskCache(null, new Map(), MODALITIES, schedule), undefined);
});

Deno.test("mask cache checkpoint: a missing tensor is named; the steps hint only for a missing uses", () => {
  const tensors = new Map<string, HostTensor>();
  const saved = saveMaskCache(usedCache(), tensors);
  const restore = (changed: Map<string, HostTensor>) =>
    restoreMaskCache(saved, changed, MODALITIES, schedule);
  // A checkpoint of masks that aged in steps: `demure/steps` where `demure/uses` is now.
  const stepAged = new Map(
    [...tensors].map(([name, tensor]) => [name === "demure/uses" ? "demure/steps" : name, tensor]),
  );
  assertThrows(
    () => restore(stepAged),
    Error,
    "no tensor demure/uses (the checkpoint was saved when masks aged in steps, before 2026-12-02: " +
      "delete it to start the cell afresh)",
  );
  // Another tensor missing is that tensor, without the hint, even next to a `demure/steps`.
  for (const extra of [[], [["demure/steps", tensors.get("demure/uses")!]]] as const) {
    const noScores = new Map([...tensors, ...extra]);
    noScores.delete("demure/scores");
    const error = assertThrows(() => restore(noScores), Error);
    assertEquals(error.message, "Demure checkpoint state: no tensor demure/scores");
  }
});

Deno.test("mask cache checkpoint: a missing or non-object cache field is refused by name, not read as none", () => {
  // null is "no cache yet"; a checkpoint without the field is none this code wrote, and read as
  // null it would give the resumed run a fresh cache (other masks than the uninterrupted run's).
  const tensors = new Map<string, HostTensor>();
  saveMaskCache(usedCache(), tensors);
  assertEquals(restoreMaskCache(null, tensors, MODALITIES, schedule), undefined);
  for (const [value, shown] of [[undefined, "missing"], [3, "3"], [[], "[]"]] as const) {
    const error = assertThrows(
      () => restoreMaskCache(value as unknown as null, tensors, MODALITIES, schedule),
      Error,
    );
    assertEquals(
      error.message,
      `Demure checkpoint state: field cache is ${shown}, not null or an object`,
    );
  }
});

Deno.test("mask cache checkpoint: a missing or non-count size or counter is refused by its field", () => {
  const tensors = new Map<string, HostTensor>();
  const saved = saveMaskCache(usedCache(), tensors)!;
  // Before, a missing `computed` was restored as NaN: the resumed run reported `attributed: NaN`.
  for (const name of ["positions", "computed", "reused"] as const) {
    for (
      const [value, shown] of [[undefined, "missing"], [-1, "-1"], [1.5, "1.5"], [
        "3",
        '"3"',
      ]] as const
    ) {
      const changed = { ...saved, [name]: value } as typeof saved;
      const error = assertThrows(
        () => restoreMaskCache(changed, tensors, MODALITIES, schedule),
        Error,
      );
      assertEquals(
        error.message,
        `Demure checkpoint state: field cache.${name} is ${shown}, not a count`,
      );
    }
  }
});

Deno.test("mask cache checkpoint: computed and reused are each restored as themselves, a 0 included", () => {
  // usedCache's counters are equal (1 and 1): a swap of the two was not seen, nor a refused 0.
  for (
    const [everyVisits, counters] of [
      [3, { computed: 1, reused: 2 }],
      [1, { computed: 3, reused: 0 }],
    ] as const
  ) {
    const visits = { warmupSteps: 0, everyVisits };
    const cache = new NoiseMaskCache(POSITIONS, MODALITIES, visits);
    for (const step of [0, 1, 2]) {
      cache.noiseMaskFor(step, users, items, () => ({ noiseMask, scores }));
    }
    const tensors = new Map<string, HostTensor>();
    const saved = saveMaskCache(cache, tensors);
    assertEquals(saved, { positions: POSITIONS, ...counters }, `everyVisits ${everyVisits}`);
    const restored = restoreMaskCache(saved, tensors, MODALITIES, visits)!;
    assertEquals(restored.stats(), { ...counters, users: 2 }, `everyVisits ${everyVisits}`);
  }
});
