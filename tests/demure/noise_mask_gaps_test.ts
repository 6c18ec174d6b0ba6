/**
 * NoiseMaskCache's error paths and edge cases that the schedule tests leave open: fractional
 * sizes, a refused import or a failed attribution that must leave the cache as it was, the row an
 * error names, key 0, and a schedule object changed after the cache was built.
 * Found by mutation round KE (session 46).
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";

const POSITIONS = 2;
const MODALITIES = 2;
const schedule = () => ({ warmupSteps: 0, everyVisits: 10 });

Deno.test("NoiseMaskCache refuses fractional positions or modalities, naming the field and value", () => {
  // KE01: a check of `< 1` alone let 2.5 positions through (Int32Array.from then sized rows by
  // rounding, and the per-user rows misaligned).
  assertThrows(
    () => new NoiseMaskCache(2.5, MODALITIES, schedule()),
    Error,
    "NoiseMaskCache: positions must be a positive integer, got 2.5",
  );
  assertThrows(
    () => new NoiseMaskCache(POSITIONS, 1.5, schedule()),
    Error,
    "NoiseMaskCache: modalities must be a positive integer, got 1.5",
  );
});

Deno.test("a refused importState leaves the cache's entries and counters as they were", () => {
  // KE02: the sizes are all checked before anything is cleared; a state refused half-way must not
  // empty a cache that a caller keeps using.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  const items = Int32Array.of(0, 9);
  cache.noiseMaskFor(0, [1], items, () => ({ noiseMask: Uint8Array.of(1, 0, 0, 1) }));
  const state = cache.exportState();
  assertThrows(
    () => cache.importState({ ...state, computed: 7, items: new Float32Array(3) }),
    Error,
    "items has 3 entries, expected 2",
  );
  assertEquals(cache.stats(), { computed: 1, reused: 0, users: 1 });
  assertEquals(Array.from(cache.lookup([1], items).noiseMask), [1, 0, 0, 1]);
});

Deno.test("lookup's errors name the user and the row it is in, not the first row's", () => {
  // KE04, KE05, KE30: every row is checked against its own items, and the error names that row.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  // Users 1 and 2 were stored with the same history, so row 0's items would pass for row 1.
  cache.store([1, 2], Int32Array.of(0, 9, 0, 9), { noiseMask: new Uint8Array(8) });
  assertThrows(
    () => cache.lookup([1, 2], Int32Array.of(0, 9, 0, 3)),
    Error,
    "NoiseMaskCache.lookup: user 2 (row 1) has other items than when its mask was stored",
  );
  assertThrows(
    () => cache.lookup([1, 5], Int32Array.of(0, 9, 0, 9)),
    Error,
    "NoiseMaskCache.lookup: no mask stored for user 5 (row 1)",
  );
});

Deno.test("key 0 (user 0's first window) goes through a checkpoint", () => {
  // KE06: the bound is [0, 2^40): 0 is a key Demure makes (user 0 * 1024 + window 0).
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  const items = Int32Array.of(0, 9);
  cache.store([0], items, { noiseMask: Uint8Array.of(0, 1, 1, 0) });
  const state = cache.exportState();
  assertEquals([state.keysHigh[0], state.keysLow[0]], [0, 0]);
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  restored.importState(state);
  assertEquals(Array.from(restored.lookup([0], items).noiseMask), [0, 1, 1, 0]);
});

Deno.test("an attribution whose mask is refused is neither stored nor counted as computed", () => {
  // KE07: the counter moves only once the mask is stored, so a failed step leaves the run log's
  // counters those of the steps that did run.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  assertThrows(
    () => cache.noiseMaskFor(0, [1], Int32Array.of(0, 9), () => ({ noiseMask: new Uint8Array(3) })),
    Error,
    "noiseMask has 3 entries, expected 4",
  );
  assertEquals(cache.stats(), { computed: 0, reused: 0, users: 0 });
});

Deno.test("the cache keeps its own copy of the schedule: a changed schedule object does not change it", () => {
  // KE08: the schedule is validated once, in the constructor; holding the caller's object would
  // let a later change (here everyVisits 2 -> 1, or a negative warm-up) bypass that check.
  const config = { warmupSteps: 0, everyVisits: 2 };
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, config);
  config.everyVisits = 1;
  config.warmupSteps = -1;
  assertEquals(cache.config, { warmupSteps: 0, everyVisits: 2 });
  const items = Int32Array.of(0, 9);
  const computedAt: number[] = [];
  for (let step = 0; step < 4; step++) {
    cache.noiseMaskFor(step, [1], items, () => {
      computedAt.push(step);
      return { noiseMask: new Uint8Array(4) };
    });
  }
  assertEquals(computedAt, [0, 2]);
  assert(!cache.isActive(-1));
});

Deno.test("importState refuses values no export writes (NaN visits, a flag of 0.5, halves out of range), naming them", () => {
  // A NaN visit count never reached everyVisits, so that user's mask was served forever; a noise
  // flag of 0.5 was read as 0. Both silently, from an altered checkpoint.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  cache.store([70000, 3], Int32Array.of(0, 9, 4, 5), {
    noiseMask: Uint8Array.of(1, 0, 0, 1, 0, 0, 1, 1),
  });
  const state = cache.exportState();
  const altered = (
    field: "keysHigh" | "keysLow" | "uses" | "items" | "noise",
    index: number,
    value: number,
  ) => {
    const values = state[field].slice();
    values[index] = value;
    return { ...state, [field]: values };
  };
  const refused: [ReturnType<typeof altered>, string][] = [
    [altered("uses", 1, Number.NaN), "uses[1] is NaN, not a non-negative integer"],
    [altered("uses", 0, -1), "uses[0] is -1, not a non-negative integer"],
    [altered("noise", 6, 0.5), "noise[6] is 0.5, not an integer in [0, 2)"],
    [altered("noise", 2, 2), "noise[2] is 2, not an integer in [0, 2)"],
    [altered("keysLow", 0, 65536), "keysLow[0] is 65536, not an integer in [0, 65536)"],
    [
      altered("keysHigh", 1, 2 ** 24),
      `keysHigh[1] is ${2 ** 24}, not an integer in [0, ${2 ** 24})`,
    ],
    [altered("items", 3, 4.5), "items[3] is 4.5, not a non-negative integer"],
  ];
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, schedule());
  for (const [changed, message] of refused) {
    assertThrows(
      () => restored.importState(changed),
      Error,
      `NoiseMaskCache.importState: ${message}`,
    );
  }
  assertEquals(restored.stats().users, 0, "nothing imported");
  // Scores are any float32, NaN included (a mask stored without scores).
  restored.importState({ ...state, scores: state.scores.fill(Number.NaN) });
  assertEquals(restored.stats().users, 2);
});
