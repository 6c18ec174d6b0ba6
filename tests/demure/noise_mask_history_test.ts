/**
 * The mask cache compares every stored position of a window's history, the most recent one (the
 * last, left-padded) included: a window whose newest item changed has a stale mask.
 */
import { assert, assertThrows } from "@std/assert";
import { NoiseMaskCache } from "../../lib/demure/noise_mask.ts";

Deno.test("a history that differs only at its first or only at its last position forces a refresh", () => {
  const cache = new NoiseMaskCache(3, 2, { warmupSteps: 0, everyVisits: 100 });
  cache.store([1], Int32Array.of(0, 7, 9), { noiseMask: Uint8Array.of(1, 0, 0, 1, 0, 0) });
  assert(!cache.needsRefresh(1, [1], Int32Array.of(0, 7, 9)), "the same history is served");
  assert(cache.needsRefresh(1, [1], Int32Array.of(0, 7, 4)), "newest item changed");
  assert(cache.needsRefresh(1, [1], Int32Array.of(5, 7, 9)), "oldest position changed");
  assertThrows(() => cache.lookup([1], Int32Array.of(0, 7, 4)), Error, "other items");
  assertThrows(() => cache.lookup([1], Int32Array.of(5, 7, 9)), Error, "other items");
});
