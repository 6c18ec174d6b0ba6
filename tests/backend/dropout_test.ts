import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { seededDropout } from "../../lib/backend/kernels/dropout.ts";
import { DEFAULT_SASREC_STEP_CONFIG, sasRecStepFlops } from "../../bench/_sasrec_step.ts";

Deno.test("seededDropout: reproducible mask, kept share near 1 - rate, inverted scaling", async () => {
  await tf.setBackend("wasm");
  const x = tf.ones([200, 50]);
  const a = seededDropout(x, 0.2, 7).dataSync();
  const b = seededDropout(x, 0.2, 7).dataSync();
  const c = seededDropout(x, 0.2, 8).dataSync();
  assertEquals(Array.from(a), Array.from(b));
  assert(Array.from(a).some((v, i) => v !== c[i]), "another seed gives another mask");
  const kept = Array.from(a).filter((v) => v !== 0);
  assert(kept.every((v) => Math.abs(v - 1.25) < 1e-6), "kept entries are scaled by 1 / 0.8");
  // 10,000 Bernoulli(0.8) draws: the kept share is within 4 standard deviations (0.016) of 0.8.
  assert(Math.abs(kept.length / a.length - 0.8) < 0.016, `kept share ${kept.length / a.length}`);
  assertEquals(seededDropout(x, 0, 7), x, "rate 0 is the identity");
  assertThrows(() => seededDropout(x, 1, 7), Error, "rate 1");
  x.dispose();
});

Deno.test("seededDropout: the gradient is the mask itself", async () => {
  await tf.setBackend("wasm");
  const x = tf.randomNormal([30, 4], 0, 1, "float32", 3);
  const mask = seededDropout(tf.onesLike(x), 0.5, 11).dataSync();
  const gradient = tf.grad((t: tf.Tensor) => tf.sum(seededDropout(t, 0.5, 11)))(x).dataSync();
  assertEquals(Array.from(gradient), Array.from(mask));
  x.dispose();
});

Deno.test("sasRecStepFlops of issue 7's step is 5.25 GFLOP (hand arithmetic)", () => {
  // Per block: 6 projections 2*12800*64*64 = 629,145,600 and attention 2*2*256*50*50*64 =
  // 163,840,000; scoring 2*256*64*5001 = 163,872,768; forward 1,749,843,968; x3 with backward.
  assertEquals(sasRecStepFlops(DEFAULT_SASREC_STEP_CONFIG), 5_249_531_904);
});
