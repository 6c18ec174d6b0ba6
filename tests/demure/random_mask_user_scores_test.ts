/**
 * randomNoiseMask by (user, modality): each user's scores are that user's own draws, the ones its
 * noise was selected from (keep_one reads them), not another row's.
 */
import { assert, assertEquals, assertGreater, assertThrows } from "@std/assert";
import { randomNoiseMask } from "../../lib/demure/views.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { createRng } from "../../lib/util/random.ts";

Deno.test("random noise mask: a granularity other than pair or user_modality is a SettingError", () => {
  // Unchecked, "item" was drawn as pairs, silently.
  const shape: PairShape = [2, 3, 2];
  const valid = new Array(12).fill(1);
  const error = assertThrows(
    () => randomNoiseMask(valid, shape, 0.5, 11, "item" as "pair"),
    SettingError,
    'randomNoiseMask granularity is "item"; allowed: one of "pair", "user_modality"',
  ) as SettingError;
  assertEquals(error.value, "item");
});

Deno.test("random noise mask by (user, modality): each user's noise modality has that user's lower score", () => {
  // 8 users, 3 positions, 2 modalities, every pair valid; rho 0.5 of 2 modalities masks one: the
  // user's lower-scoring modality, at all 3 positions.
  const [users, positions, modalities] = [8, 3, 2];
  const shape: PairShape = [users, positions, modalities];
  const valid = new Array(users * positions * modalities).fill(1);
  const { noiseMask, scores } = randomNoiseMask(valid, shape, 0.5, 11, "user_modality");
  const noisyModality: number[] = [];
  for (let b = 0; b < users; b++) {
    const at = (p: number, m: number) => (b * positions + p) * modalities + m;
    const noisy = noiseMask[at(0, 0)] === 1 ? 0 : 1;
    noisyModality.push(noisy);
    for (let p = 0; p < positions; p++) {
      assertEquals([noiseMask[at(p, 0)], noiseMask[at(p, 1)]], noisy === 0 ? [1, 0] : [0, 1]);
      // The masked modality is the one this user drew the lower score for.
      assertGreater(scores[at(p, 1 - noisy)], scores[at(p, noisy)], `user ${b}, position ${p}`);
    }
  }
  // The fixture must have users with different noise modalities, or any row's scores would do.
  assert(new Set(noisyModality).size === 2, `noise modalities ${noisyModality}`);
});

Deno.test("random noise mask by pair: the valid pairs' scores are createRng(seed)'s draws in order, NaN elsewhere", () => {
  // The contrastive_only records drew their views from this stream: a draw spent on a padding or
  // missing pair would shift every later pair's score, and so the views, for the same seed.
  const valid = [1, 0, 1, 1, 0, 0, 1, 1];
  const { scores } = randomNoiseMask(valid, [2, 2, 2], 0.5, 7);
  const rng = createRng(7);
  const expected = valid.map((v) => v ? Math.fround(rng.next()) : NaN);
  assertEquals(Array.from(scores), expected);
});
