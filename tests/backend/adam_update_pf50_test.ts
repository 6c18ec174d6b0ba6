/**
 * The fused Adam update (lib/backend/kernels/adam_update.ts) against the composite tf ops it
 * replaces, bit for bit, on wasm and cpu: one update on values with zeros, signed zeros,
 * subnormals and large numbers, then several updates chained through the moments, with and
 * without clipping and weight decay; and a whole training run with the kernel against one without.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  adamUpdate,
  type AdamUpdateSettings,
  compositeAdamUpdate,
  registerAdamUpdateKernel,
} from "../../lib/backend/kernels/adam_update.ts";
import { createRng } from "../../lib/util/random.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";
import { seededRun } from "../train/_seeded_run.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";

const KERNEL = "DemureAdamUpdate";

/** `size` values of every kind an update meets: ordinary, zero, -0, subnormal, large, tiny. */
function values(size: number, seed: number, spread: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (rng.next() - 0.5) * spread;
  out.set([0, -0, 1e-40, -3e-39, 3e30, -1e-30, 1e-20], 0);
  return out;
}

function settingsAt(step: number, extra: Partial<AdamUpdateSettings> = {}): AdamUpdateSettings {
  return {
    scale: 1,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    learningRate: 2e-3,
    weightDecay: 0,
    correction1: 1 - 0.9 ** step,
    correction2: 1 - 0.999 ** step,
    ...extra,
  };
}

/** The kernel names one call of `run` launched. */
async function kernelsOf(run: () => tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => run());
  return info.kernels.map((k) => k.name);
}

/** `steps` chained updates of one [size] parameter by `update`; every tensor's values. */
function chained(
  update: typeof compositeAdamUpdate,
  steps: number,
  extra: Partial<AdamUpdateSettings>,
): Float32Array[] {
  let variable: tf.Tensor = tf.tensor1d(values(257, 1, 2));
  let m: tf.Tensor | undefined, v: tf.Tensor | undefined;
  const seen: Float32Array[] = [];
  for (let step = 1; step <= steps; step++) {
    const gradient = tf.tensor1d(values(257, 10 + step, 0.1));
    const [m2, v2, next] = update(variable, gradient, m, v, settingsAt(step, extra));
    seen.push(m2.dataSync() as Float32Array, v2.dataSync() as Float32Array);
    seen.push(next.dataSync() as Float32Array);
    tf.dispose([gradient, variable, m, v].filter((t) => t !== undefined) as tf.Tensor[]);
    [variable, m, v] = [next, m2, v2];
  }
  tf.dispose([variable, m!, v!]);
  return seen;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`adamUpdate on ${backend}: the fused kernel runs and equals the composite ops bit for bit`, async () => {
    await tf.setBackend(backend);
    assertEquals(registerAdamUpdateKernel(backend), ["AdamUpdate(fused)"]);
    const before = tf.memory().numTensors;
    const cases: Partial<AdamUpdateSettings>[] = [
      {},
      { scale: 0.37 },
      { weightDecay: 0.01 },
      { scale: 0.5, weightDecay: 0.1, learningRate: 0.7, beta1: 0.5, beta2: 0.25, epsilon: 1e-3 },
    ];
    for (const extra of cases) {
      assertBitIdentical(
        chained(adamUpdate, 4, extra),
        chained(compositeAdamUpdate, 4, extra),
        JSON.stringify(extra),
      );
    }
    assertEquals(tf.memory().numTensors, before, "no tensor left behind");
    // The fused path is what ran (one kernel), and the comparison was not of the composite with
    // itself: the composite launches no fused kernel.
    const variable = tf.tensor1d(values(9, 3, 1));
    const gradient = tf.tensor1d(values(9, 4, 1));
    assertEquals(
      await kernelsOf(() => adamUpdate(variable, gradient, undefined, undefined, settingsAt(1))),
      [KERNEL],
    );
    const composite = await kernelsOf(() =>
      compositeAdamUpdate(variable, gradient, undefined, undefined, settingsAt(1))
    );
    assert(!composite.includes(KERNEL) && composite.length > 5, composite.join(","));
    tf.dispose([variable, gradient]);
  });
}

Deno.test("adamUpdate: a moment of another shape than the parameter goes to the composite ops (broadcast as before)", async () => {
  await tf.setBackend("wasm");
  registerAdamUpdateKernel("wasm");
  const variable = tf.tensor1d([1, 2, 3]);
  const gradient = tf.tensor1d([0.1, -0.2, 0.3]);
  const m = tf.tensor1d([0.5]);
  const v = tf.tensor1d([0.25]);
  const kernels = await kernelsOf(() => adamUpdate(variable, gradient, m, v, settingsAt(2)));
  assert(!kernels.includes(KERNEL), kernels.join(","));
  assertBitIdentical(
    adamUpdate(variable, gradient, m, v, settingsAt(2)).map((t) => t.dataSync()),
    compositeAdamUpdate(variable, gradient, m, v, settingsAt(2)).map((t) => t.dataSync()),
  );
});

const SASREC = {
  backbone: "sasrec" as const,
  dim: 8,
  maxLength: 6,
  sasrec: { blocks: 1, heads: 2, dropout: 0.3 },
};

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`trainModel on ${backend}: the same weights and losses with the fused Adam kernel as without`, async () => {
    await tf.setBackend(backend);
    registerAdamUpdateKernel(backend);
    // Clipping and weight decay on, so every branch of the update runs.
    const optimizer = {
      ...DEFAULT_ADAM_CONFIG,
      learningRate: 0.01,
      weightDecay: 1e-3,
      clipNorm: 0.5,
    };
    const trainer = { optimizer };
    const fused = await seededRun(SASREC, 1, trainer, 2);
    tf.unregisterKernel(KERNEL, backend);
    let composite;
    try {
      composite = await seededRun(SASREC, 1, trainer, 2);
    } finally {
      registerAdamUpdateKernel(backend);
    }
    assertBitIdentical(fused, composite);
    // The runs trained: the weights moved from another seed's.
    assertNotBitIdentical(fused.weights, (await seededRun(SASREC, 1, trainer, 3)).weights);
  });
}
