/**
 * A gap found by hand mutation testing (session 52) of lib/data/synthetic.ts: the bound on the
 * largest logit counts the points of interest as the draw does (at least one per user).
 */
import { assertEquals } from "@std/assert";
import { generateSynthetic } from "../../lib/data/synthetic.ts";

Deno.test("generateSynthetic: with noiseFraction 1 a user keeps one point of interest, so a huge unused noiseStrength is no overflow", () => {
  // One modality, all "noise": the draw still gives every user that modality as its interest,
  // so there is no noise modality and noiseStrength weighs nothing. Counting 0 interests, the
  // bound read 1e308 as the weight of a noise modality and refused a configuration that draws.
  const { dataset, truth } = generateSynthetic({
    numUsers: 3,
    numItems: 6,
    historyLength: 2,
    modalities: [{ name: "text", dim: 2 }],
    noiseFraction: 1,
    noiseStrength: 1e308,
    temperature: 1,
  });
  assertEquals(dataset.sequences.map((sequence) => sequence.length), [2, 2, 2]);
  assertEquals([...truth.pointsOfInterest], [1, 1, 1]);
});
