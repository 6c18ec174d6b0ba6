import { assert, assertEquals, assertThrows } from "@std/assert";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";

const POSITIONS = 2;
const MODALITIES = 2;

/** A fake attribution: user u's mask is all (u + step) % 2 so that fresh and stale masks differ. */
function counterFor(step: number, users: number[]) {
  const calls: number[] = [];
  const compute = () => {
    calls.push(step);
    const noiseMask = new Uint8Array(users.length * POSITIONS * MODALITIES);
    users.forEach((u, b) => noiseMask.fill((u + step) % 2, b * 4, (b + 1) * 4));
    return { noiseMask, scores: new Float32Array(noiseMask.length).fill(step) };
  };
  return { calls, compute };
}

Deno.test("no mask during warm-up; computed at the end of warm-up; serves everyVisits visits", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 3, everyVisits: 2 });
  const users = [4, 7];
  const items = Int32Array.of(0, 5, 2, 3);
  const computedAt: number[] = [];
  const masks: Uint8Array[] = [];
  for (let step = 0; step < 8; step++) {
    const { calls, compute } = counterFor(step, users);
    const result = cache.noiseMaskFor(step, users, items, compute);
    computedAt.push(...calls);
    if (step < 3) assertEquals(result, undefined, `step ${step}`);
    else masks.push((result as { noiseMask: Uint8Array }).noiseMask);
  }
  // Active from step 3; a mask serves the visit that computed it and the next one.
  assertEquals(computedAt, [3, 5, 7]);
  assertEquals(cache.stats(), { computed: 3, reused: 2, users: 2 });
  // Step 4 serves step 3's mask (user 4: (4+3)%2 = 1, user 7: 0).
  assertEquals(Array.from(masks[1]), [1, 1, 1, 1, 0, 0, 0, 0]);
});

Deno.test("the schedule counts a window's visits, not the steps between them", () => {
  const items = Int32Array.of(0, 5);
  for (const everyVisits of [1, 2, 3]) {
    const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits });
    const computedAt: number[] = [];
    // One window visited at uneven distances (epochs of other lengths in between).
    for (const step of [0, 1, 40, 41, 90, 200, 201]) {
      const { calls, compute } = counterFor(step, [3]);
      cache.noiseMaskFor(step, [3], items, compute);
      computedAt.push(...calls);
    }
    const expected = { 1: [0, 1, 40, 41, 90, 200, 201], 2: [0, 40, 90, 201], 3: [0, 41, 201] };
    assertEquals(computedAt, expected[everyVisits as 1 | 2 | 3], `everyVisits ${everyVisits}`);
  }
});

Deno.test("a batch is attributed as a whole: one due window refreshes every window in it", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 2 });
  const one = Int32Array.of(0, 5);
  const two = Int32Array.of(0, 5, 1, 6);
  cache.noiseMaskFor(0, [1], one, counterFor(0, [1]).compute);
  // User 1 has served one visit of two, user 2 has no mask: the batch is computed.
  const first = counterFor(1, [1, 2]);
  cache.noiseMaskFor(1, [1, 2], two, first.compute);
  assertEquals(first.calls, [1]);
  // Both masks were computed at step 1 and have served one visit: the next visit reuses both.
  const second = counterFor(2, [1, 2]);
  cache.noiseMaskFor(2, [1, 2], two, second.compute);
  assertEquals(second.calls, []);
  assertEquals(cache.stats(), { computed: 2, reused: 1, users: 2 });
});

Deno.test("the visit counts survive a checkpoint: a restored cache continues the schedule", () => {
  const items = Int32Array.of(0, 5);
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 3 });
  cache.noiseMaskFor(0, [3], items, counterFor(0, [3]).compute);
  cache.noiseMaskFor(1, [3], items, counterFor(1, [3]).compute);
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 3 });
  restored.importState(cache.exportState());
  const third = counterFor(2, [3]);
  restored.noiseMaskFor(2, [3], items, third.compute);
  assertEquals(third.calls, [], "the third visit still reuses");
  const fourth = counterFor(3, [3]);
  restored.noiseMaskFor(3, [3], items, fourth.compute);
  assertEquals(fourth.calls, [3]);
});

Deno.test("a checkpoint keeps keys above 2^16 and 2^24 exact (split into high and low 16 bits)", () => {
  // 70000 = 1 * 65536 + 4464 and 2^24 + 3 = 256 * 65536 + 3 (float32 alone would round 2^24 + 3
  // to 2^24 + 4). Demure's keys are user * 1024 + window, so users from 64 on reach 2^16.
  const users = [70000, 2 ** 24 + 3];
  const items = Int32Array.of(0, 9, 8, 7);
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 100 });
  cache.store(users, items, {
    noiseMask: Uint8Array.of(1, 0, 0, 0, 0, 0, 1, 1),
    scores: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  });
  const state = cache.exportState();
  assertEquals(Array.from(state.keysHigh), [1, 256]);
  assertEquals(Array.from(state.keysLow), [4464, 3]);
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 100 });
  restored.importState(state);
  assert(!restored.needsRefresh(1, users, items), "both users' masks are found after the restore");
  const mask = restored.lookup(users, items);
  assertEquals(Array.from(mask.noiseMask), [1, 0, 0, 0, 0, 0, 1, 1]);
  assertEquals(Array.from(mask.scores), [1, 2, 3, 4, 5, 6, 7, 8]);
});

Deno.test("masks are keyed per user: another batch order gets each user's own mask", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 100 });
  cache.store([1, 2], Int32Array.of(0, 9, 8, 7), {
    noiseMask: Uint8Array.of(1, 0, 0, 0, 0, 0, 1, 1),
    scores: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  });
  assert(!cache.needsRefresh(1, [2, 1], Int32Array.of(8, 7, 0, 9)));
  const swapped = cache.lookup([2, 1], Int32Array.of(8, 7, 0, 9));
  assertEquals(Array.from(swapped.noiseMask), [0, 0, 1, 1, 1, 0, 0, 0]);
  assertEquals(Array.from(swapped.scores), [5, 6, 7, 8, 1, 2, 3, 4]);
});

Deno.test("a changed history or a new user forces a refresh; lookup refuses stale entries", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 100 });
  cache.store([1], Int32Array.of(0, 9), { noiseMask: Uint8Array.of(1, 0, 0, 0) });
  assert(!cache.needsRefresh(1, [1], Int32Array.of(0, 9)));
  assert(cache.needsRefresh(1, [1], Int32Array.of(9, 4)), "history shifted");
  assert(cache.needsRefresh(1, [1, 2], Int32Array.of(0, 9, 0, 3)), "user 2 is new");
  assertThrows(() => cache.lookup([1], Int32Array.of(9, 4)), Error, "other items");
  assertThrows(() => cache.lookup([2], Int32Array.of(0, 3)), Error, "no mask stored for user 2");
  // Without scores the stored scores are NaN, never an invented value.
  assert(cache.lookup([1], Int32Array.of(0, 9)).scores.every(Number.isNaN));
});

Deno.test("bad configuration and bad batch sizes throw", () => {
  assertThrows(
    () => new NoiseMaskCache(2, 2, { warmupSteps: 0, everyVisits: 0 }),
    Error,
    "everyVisits",
  );
  assertThrows(
    () => new NoiseMaskCache(2, 2, { warmupSteps: -1, everyVisits: 1 }),
    Error,
    "warmupSteps",
  );
  assertThrows(
    () => new NoiseMaskCache(0, 2, { warmupSteps: 0, everyVisits: 1 }),
    Error,
    "positions",
  );
  // Modalities are checked as positions are: 0 would store empty masks for every user.
  assertThrows(
    () => new NoiseMaskCache(2, 0, { warmupSteps: 0, everyVisits: 1 }),
    Error,
    "modalities must be a positive integer, got 0",
  );
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  assertThrows(() => cache.needsRefresh(0, [1], Int32Array.of(0)), Error, "1 users x 2 positions");
  assertThrows(
    () => cache.store([1], Int32Array.of(0, 1), { noiseMask: new Uint8Array(3) }),
    Error,
    "expected 4",
  );
  // Scores shorter than the mask would be stored as a short row (lookup then misaligns users).
  const shortScores = { noiseMask: new Uint8Array(4), scores: new Float32Array(3) };
  assertThrows(() => cache.store([1], Int32Array.of(0, 1), shortScores), Error, "scores has 3");
});

Deno.test("a fractional warmupSteps or everyVisits is refused, naming the value", () => {
  // Either used to pass: 1.5 warm-up steps ended the warm-up at step 2, 1.5 visits refreshed at
  // every second visit, a schedule that no configuration states.
  for (
    const [schedule, message] of [
      [{ warmupSteps: 1.5, everyVisits: 1 }, "warmupSteps must be a non-negative integer, got 1.5"],
      [{ warmupSteps: 0, everyVisits: 1.5 }, "everyVisits must be a positive integer, got 1.5"],
    ] as const
  ) {
    assertThrows(() => new NoiseMaskCache(POSITIONS, MODALITIES, schedule), Error, message);
  }
});

Deno.test("store refuses a mask or scores longer than the batch, not only shorter ones", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  const items = Int32Array.of(0, 1);
  assertThrows(
    () => cache.store([1], items, { noiseMask: new Uint8Array(5) }),
    Error,
    "noiseMask has 5 entries, expected 4",
  );
  const longScores = { noiseMask: new Uint8Array(4), scores: new Float32Array(5) };
  assertThrows(
    () => cache.store([1], items, longScores),
    Error,
    "scores has 5 entries, expected 4",
  );
  assertEquals(cache.stats().users, 0, "nothing stored");
});

Deno.test("the cache keeps copies: arrays changed after store or importState do not change it", () => {
  const items = Int32Array.of(0, 9);
  const noiseMask = Uint8Array.of(1, 0, 0, 1);
  const scores = Float32Array.of(1, 2, 3, 4);
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  cache.store([1], items, { noiseMask, scores });
  noiseMask.fill(0);
  scores.fill(0);
  assertEquals(Array.from(cache.lookup([1], items).noiseMask), [1, 0, 0, 1]);
  const state = cache.exportState();
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  restored.importState(state);
  state.noise.fill(0);
  state.scores.fill(0);
  const served = restored.lookup([1], items);
  assertEquals(Array.from(served.noiseMask), [1, 0, 0, 1]);
  assertEquals(Array.from(served.scores), [1, 2, 3, 4]);
});

Deno.test("importState replaces the content: entries not in the state are gone", () => {
  const schedule = { warmupSteps: 0, everyVisits: 10 };
  const saved = new NoiseMaskCache(POSITIONS, MODALITIES, schedule);
  saved.store([1], Int32Array.of(0, 9), { noiseMask: Uint8Array.of(1, 0, 0, 1) });
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, schedule);
  cache.store([2], Int32Array.of(0, 3), { noiseMask: Uint8Array.of(0, 1, 1, 0) });
  cache.importState(saved.exportState());
  assertEquals(cache.stats().users, 1);
  assert(cache.needsRefresh(0, [2], Int32Array.of(0, 3)), "user 2's mask was not in the state");
  assertThrows(() => cache.lookup([2], Int32Array.of(0, 3)), Error, "no mask stored for user 2");
});

Deno.test("exportState refuses a key at 2^40 (its float32 halves would not hold it)", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  cache.store([2 ** 40], Int32Array.of(0, 9), { noiseMask: new Uint8Array(4) });
  assertThrows(() => cache.exportState(), Error, `key ${2 ** 40} outside [0, 2^40)`);
});

Deno.test("importState refuses a field with more entries than its users, naming it", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  cache.store([1], Int32Array.of(0, 9), { noiseMask: new Uint8Array(4) });
  const state = cache.exportState();
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  assertThrows(
    () => restored.importState({ ...state, scores: new Float32Array(5) }),
    Error,
    "scores has 5 entries, expected 4 (1 users x 2 positions x 2 modalities)",
  );
  assertEquals(restored.stats().users, 0, "nothing imported");
});

Deno.test("needsRefresh is false during the warm-up, even for a user without a mask", () => {
  // The module's usage attributes when needsRefresh says so: true in the warm-up would attribute
  // batches whose mask noiseMaskFor then drops.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 2, everyVisits: 1 });
  const items = Int32Array.of(0, 5);
  assertEquals([0, 1, 2].map((step) => cache.needsRefresh(step, [4], items)), [false, false, true]);
});

Deno.test("a checkpoint keeps a key whose low 16 bits are 2^15 or more (the high half rounded down)", () => {
  // 98309 = 1 * 65536 + 32773: key / 65536 = 1.5000..., whose rounding (2) would restore 163845.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  const items = Int32Array.of(0, 9);
  cache.store([98309], items, { noiseMask: Uint8Array.of(1, 0, 0, 1) });
  const state = cache.exportState();
  assertEquals([state.keysHigh[0], state.keysLow[0]], [1, 32773]);
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  restored.importState(state);
  assertEquals(Array.from(restored.lookup([98309], items).noiseMask), [1, 0, 0, 1]);
});

Deno.test("store, lookup and needsRefresh refuse items longer or shorter than users x positions", () => {
  // A check of shorter items only would pass longer ones (only their first positions compared and
  // stored); a lookup without its own check would call a short batch a changed history.
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  cache.store([1], Int32Array.of(0, 9), { noiseMask: new Uint8Array(4) });
  for (const items of [Int32Array.of(0), Int32Array.of(0, 9, 5)]) {
    const message = `items has ${items.length} entries, expected 1 users x 2 positions`;
    assertThrows(() => cache.needsRefresh(0, [1], items), Error, message);
    assertThrows(() => cache.store([2], items, { noiseMask: new Uint8Array(4) }), Error, message);
    assertThrows(() => cache.lookup([1], items), Error, message);
  }
  assertEquals(cache.stats().users, 1, "user 2 not stored");
});

Deno.test("exportState refuses a negative key and a mask that served 2^24 visits", () => {
  // -1 would be saved as halves -1 and -1 and restored as key -65537; 2^24 + 1 visits would be
  // saved as 2^24 by float32.
  const items = Int32Array.of(0, 9);
  const negative = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  negative.store([-1], items, { noiseMask: new Uint8Array(4) });
  assertThrows(() => negative.exportState(), Error, "key -1 outside [0, 2^40)");
  const worn = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  worn.store([1], items, { noiseMask: new Uint8Array(4) });
  const state = worn.exportState();
  state.uses[0] = 2 ** 24;
  worn.importState(state);
  assertThrows(() => worn.exportState(), Error, `uses ${2 ** 24} >= 2^24`);
});

Deno.test("importState refuses a field with fewer entries than its users, keysLow included, naming it", () => {
  const cache = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  cache.store([1], Int32Array.of(0, 9), { noiseMask: new Uint8Array(4) });
  const state = cache.exportState();
  const restored = new NoiseMaskCache(POSITIONS, MODALITIES, { warmupSteps: 0, everyVisits: 10 });
  for (
    const [changed, message] of [
      [{ ...state, scores: new Float32Array(3) }, "scores has 3 entries, expected 4"],
      [{ ...state, keysLow: new Float32Array(0) }, "keysLow has 0 entries, expected 1"],
    ] as const
  ) {
    assertThrows(() => restored.importState(changed), Error, message);
  }
  assertEquals(restored.stats().users, 0, "nothing imported");
});
