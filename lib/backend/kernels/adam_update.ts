/**
 * Adam's update of one parameter as one kernel on `wasm` and `cpu`; other backends get the same
 * maths from composite ops ({@linkcode compositeAdamUpdate}).
 *
 * Why: written with tf ops, one parameter's update is about 14 kernel calls (moments, bias
 * corrections, square root, step, decay), each with its engine bookkeeping and a fresh output
 * tensor; a MovieLens model has 43 parameters, so Adam was about 600 of a training step's 1,400
 * kernel calls. One pass per parameter removes those calls and their intermediate tensors.
 *
 * Bit-identical to the composite ops: every operation of the composite is done in the same order,
 * on the same float32 constants (a JavaScript number passed to a tf op becomes a float32 scalar),
 * and rounded to float32 after each step. A float32 `+`, `-`, `*`, `/` or square root computed in
 * float64 and then rounded to float32 gives the correctly rounded float32 result (float64 has more
 * than 2 x 24 + 2 bits), which is what the wasm and cpu kernels compute; a test compares both on
 * values with zeros, signed zeros, subnormals, clipping and weight decay.
 */
import { tf } from "../tf.ts";
import { type HostBackendName, memoryFor } from "./_backend_memory.ts";

const KERNEL = "DemureAdamUpdate";

/** The scalars of one update (the step's bias corrections, clipping scale and Adam's settings). */
export interface AdamUpdateSettings {
  /** Gradient scale from global-norm clipping; 1 when not clipped. */
  scale: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  weightDecay: number;
  /** `1 - beta1 ** step`. */
  correction1: number;
  /** `1 - beta2 ** step`. */
  correction2: number;
}

/** New first moment, second moment and parameter value of one update. */
export type AdamUpdateResult = [m: tf.Tensor, v: tf.Tensor, value: tf.Tensor];

const f = Math.fround;

/**
 * Adam's update over flat float32 arrays, exactly as {@linkcode compositeAdamUpdate} computes it:
 * writes the new moments to `mOut`, `vOut` and the new parameter to `valueOut`. `m` and `v` are
 * the previous moments, `undefined` before the first update (zeros).
 *
 * @example
 * ```ts
 * const out = () => new Float32Array(1);
 * const [m, v, value] = [out(), out(), out()];
 * adamUpdateValues(new Float32Array([1]), new Float32Array([0.5]), undefined, undefined,
 *   { scale: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, learningRate: 0.1, weightDecay: 0,
 *     correction1: 0.1, correction2: 0.001 }, m, v, value); // value[0] is about 0.9
 * ```
 */
export function adamUpdateValues(
  variable: Float32Array,
  gradient: Float32Array,
  m: Float32Array | undefined,
  v: Float32Array | undefined,
  settings: AdamUpdateSettings,
  mOut: Float32Array,
  vOut: Float32Array,
  valueOut: Float32Array,
): void {
  // The float32 scalars the composite ops multiply, divide and add (tf makes them from numbers).
  const scale = f(settings.scale);
  const beta1 = f(settings.beta1), keep1 = f(1 - settings.beta1);
  const beta2 = f(settings.beta2), keep2 = f(1 - settings.beta2);
  const correction1 = f(settings.correction1), correction2 = f(settings.correction2);
  const epsilon = f(settings.epsilon), learningRate = f(settings.learningRate);
  const decay = settings.weightDecay > 0 ? f(settings.learningRate * settings.weightDecay) : 0;
  const scaled = settings.scale !== 1;
  for (let i = 0; i < variable.length; i++) {
    const g = scaled ? f(gradient[i] * scale) : gradient[i];
    // zerosLike(g) * beta1 is +0: 0 + x keeps x, and turns a -0 into +0, as the composite does.
    const mPrevious = m === undefined ? 0 : f(m[i] * beta1);
    const vPrevious = v === undefined ? 0 : f(v[i] * beta2);
    const mi = f(mPrevious + f(g * keep1));
    const vi = f(vPrevious + f(f(g * g) * keep2));
    const update = f(f(mi / correction1) / f(f(Math.sqrt(f(vi / correction2))) + epsilon));
    let value = f(variable[i] - f(update * learningRate));
    if (decay !== 0) value = f(value - f(variable[i] * decay));
    mOut[i] = mi;
    vOut[i] = vi;
    valueOut[i] = value;
  }
}

/**
 * The update as tf ops (backends without the fused kernel): the definition the kernel reproduces.
 *
 * @example
 * ```ts
 * const [m, v, value] = compositeAdamUpdate(variable, gradient, undefined, undefined, settings);
 * ```
 */
export function compositeAdamUpdate(
  variable: tf.Tensor,
  gradient: tf.Tensor,
  m: tf.Tensor | undefined,
  v: tf.Tensor | undefined,
  settings: AdamUpdateSettings,
): AdamUpdateResult {
  const { scale, beta1, beta2, epsilon, learningRate, weightDecay, correction1, correction2 } =
    settings;
  return tf.tidy(() => {
    const g = scale === 1 ? gradient : tf.mul(gradient, scale);
    const first = tf.add(tf.mul(m ?? tf.zerosLike(g), beta1), tf.mul(g, 1 - beta1));
    const second = tf.add(
      tf.mul(v ?? tf.zerosLike(g), beta2),
      tf.mul(tf.square(g), 1 - beta2),
    );
    const update = tf.div(
      tf.div(first, correction1),
      tf.add(tf.sqrt(tf.div(second, correction2)), epsilon),
    );
    let value: tf.Tensor = tf.sub(variable, tf.mul(update, learningRate));
    if (weightDecay > 0) value = tf.sub(value, tf.mul(variable, learningRate * weightDecay));
    return [first, second, value] as AdamUpdateResult;
  });
}

/**
 * One Adam update of `variable` with `gradient` and the previous moments (`undefined` before the
 * first update): the fused kernel where registered and every tensor is float32 of the variable's
 * shape, else {@linkcode compositeAdamUpdate}. Returns new tensors; disposes none of its inputs.
 *
 * @example
 * ```ts
 * const [m, v, value] = adamUpdate(variable, gradient, m0, v0, settings);
 * variable.assign(value);
 * ```
 */
export function adamUpdate(
  variable: tf.Tensor,
  gradient: tf.Tensor,
  m: tf.Tensor | undefined,
  v: tf.Tensor | undefined,
  settings: AdamUpdateSettings,
): AdamUpdateResult {
  const inputs = [variable, gradient, m, v].filter((t): t is tf.Tensor => t !== undefined);
  const fits = inputs.every((t) =>
    t.dtype === "float32" && tf.util.arraysEqual(t.shape, variable.shape)
  );
  if (!fits || tf.getKernel(KERNEL, tf.getBackend()) === undefined) {
    return compositeAdamUpdate(variable, gradient, m, v, settings);
  }
  const kernelInputs: tf.NamedTensorMap = { variable, gradient };
  if (m !== undefined) kernelInputs.m = m;
  if (v !== undefined) kernelInputs.v = v;
  return tf.engine().runKernel(
    KERNEL,
    kernelInputs,
    settings as unknown as tf.NamedAttrMap,
  ) as unknown as AdamUpdateResult;
}

function updateKernel(backend: HostBackendName): tf.KernelFunc {
  return ({ inputs, backend: instance, attrs }) => {
    const { variable, gradient, m, v } = inputs as unknown as Record<
      string,
      tf.TensorInfo | undefined
    >;
    const shape = variable!.shape;
    const memory = memoryFor(backend, instance);
    // Allocate every output first: on wasm an allocation may grow the heap and detach views.
    const mOut = memory.allocate(shape, "float32");
    const vOut = memory.allocate(shape, "float32");
    const valueOut = memory.allocate(shape, "float32");
    const read = (info: tf.TensorInfo | undefined) =>
      info === undefined ? undefined : memory.read(info) as Float32Array;
    adamUpdateValues(
      read(variable)!,
      read(gradient)!,
      read(m),
      read(v),
      attrs as unknown as AdamUpdateSettings,
      mOut.values() as Float32Array,
      vOut.values() as Float32Array,
      valueOut.values() as Float32Array,
    );
    return [mOut.info, vOut.info, valueOut.info];
  };
}

/**
 * Registers the fused Adam kernel on `backend` (idempotent); returns its label.
 *
 * @example
 * ```ts
 * registerAdamUpdateKernel("wasm"); // ["AdamUpdate(fused)"]
 * ```
 */
export function registerAdamUpdateKernel(backend: HostBackendName): string[] {
  if (tf.getKernel(KERNEL, backend) === undefined) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: backend,
      kernelFunc: updateKernel(backend),
    });
  }
  return ["AdamUpdate(fused)"];
}
