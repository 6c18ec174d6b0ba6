/**
 * How many modalities Demure's rho masks at its default granularity (whole modalities per user):
 * floor(rho x present modalities), at least one, never all of them. The records' rho values (0.3, 0.5, 0.7) mask 1, 2
 * and 3 of 5 modalities. Rounded down alone, rho 0.1 of 5 modalities (the cells of 2026-12-02) and
 * the default 0.3 of 3 masked none: an empty noise set, and Demure silently another method.
 */
import { assertEquals } from "@std/assert";
import { attributionOfContributions } from "../../lib/attribution/attribute.ts";
import { bottomFractionCount } from "../../lib/attribution/select_noise.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import { noiseAttributionConfig, resolveDemureConfig } from "../../lib/demure/config.ts";

// One user, 2 positions, 5 modalities, all present. Raw contributions; the mean of modality m over
// the positions ranks the user's modalities: m3 (-0.7) < m1 (-0.1) < m4 (0.2) < m0 (0.5) < m2 (0.8).
const SHAPE: PairShape = [1, 2, 5];
const VALID = new Float32Array(10).fill(1);
const CONTRIBUTIONS = Float32Array.of(0.4, -0.2, 0.9, -0.8, 0.1, 0.6, 0, 0.7, -0.6, 0.3);

/** The modalities Demure's selection at `rho` marks as noise (the same at both positions). */
function noiseModalities(rho: number, valid = VALID): number[] {
  const config = noiseAttributionConfig(resolveDemureConfig({ rho }));
  assertEquals(config.granularity, "user_modality");
  const { noiseMask } = attributionOfContributions(CONTRIBUTIONS, valid, SHAPE, config);
  assertEquals(Array.from(noiseMask.subarray(0, 5)), Array.from(noiseMask.subarray(5)));
  return [0, 1, 2, 3, 4].filter((m) => noiseMask[m] === 1);
}

Deno.test("Demure's rho over 5 modalities: floor(rho x 5) lowest modalities, at least one", () => {
  assertEquals(noiseModalities(0.1), [3]);
  assertEquals(noiseModalities(0.19), [3]);
  assertEquals(noiseModalities(0.3), [3]);
  assertEquals(noiseModalities(0.39), [3]);
  assertEquals(noiseModalities(0.5), [1, 3]);
  assertEquals(noiseModalities(0.7), [1, 3, 4]);
});

Deno.test("the default rho over a user's 3 present modalities masks one of them, not none", () => {
  // Modalities 1 and 3 never present: the candidates are m4 (0.2) < m0 (0.5) < m2 (0.8).
  const valid = VALID.map((_, i) => (i % 5 === 1 || i % 5 === 3 ? 0 : 1));
  assertEquals(noiseModalities(resolveDemureConfig({}).rho, valid), [4]);
});

Deno.test("bottomFractionCount: rounded down, at least one, never every candidate", () => {
  assertEquals(bottomFractionCount(0.3, 10), 3);
  assertEquals(bottomFractionCount(0.7, 10), 7); // 0.7 * 10 = 6.999...: the epsilon keeps it 7
  assertEquals(bottomFractionCount(0.3, 3), 1);
  assertEquals(bottomFractionCount(0.01, 2), 1);
  assertEquals(bottomFractionCount(0.99, 2), 1);
  assertEquals(bottomFractionCount(0.99, 1), 0); // a user's only modality is not its noise
  assertEquals(bottomFractionCount(0.3, 0), 0);
});
