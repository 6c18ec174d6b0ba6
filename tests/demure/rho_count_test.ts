/**
 * How many modalities Demure's rho masks at its default granularity (whole modalities per user):
 * floor(rho x present modalities). The rho sweep and selection grid of record (0.1, 0.3, 0.5) ran
 * on 5-modality data, where rho 0.1 masks none (its records' noise rates are 0): a change of the
 * rounding would change what those records mean, so it must fail here.
 */
import { assertEquals } from "@std/assert";
import { attributionOfContributions } from "../../lib/attribution/attribute.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import { noiseAttributionConfig, resolveDemureConfig } from "../../lib/demure/objective.ts";

// One user, 2 positions, 5 modalities, all present. Raw contributions; the mean of modality m over
// the positions ranks the user's modalities: m3 (-0.7) < m1 (-0.1) < m4 (0.2) < m0 (0.5) < m2 (0.8).
const SHAPE: PairShape = [1, 2, 5];
const VALID = new Float32Array(10).fill(1);
const CONTRIBUTIONS = Float32Array.of(0.4, -0.2, 0.9, -0.8, 0.1, 0.6, 0, 0.7, -0.6, 0.3);

/** The modalities Demure's selection at `rho` marks as noise (the same at both positions). */
function noiseModalities(rho: number): number[] {
  const config = noiseAttributionConfig(resolveDemureConfig({ rho }));
  assertEquals(config.granularity, "user_modality");
  const { noiseMask } = attributionOfContributions(CONTRIBUTIONS, VALID, SHAPE, config);
  assertEquals(Array.from(noiseMask.subarray(0, 5)), Array.from(noiseMask.subarray(5)));
  return [0, 1, 2, 3, 4].filter((m) => noiseMask[m] === 1);
}

Deno.test("Demure's rho over 5 modalities: floor(rho x 5) lowest modalities, none below 0.2", () => {
  assertEquals(noiseModalities(0.1), []);
  assertEquals(noiseModalities(0.19), []);
  assertEquals(noiseModalities(0.2), [3]);
  assertEquals(noiseModalities(0.3), [3]);
  assertEquals(noiseModalities(0.5), [1, 3]);
});
