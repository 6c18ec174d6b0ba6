/**
 * Layer normalisation over the last axis as one forward and one backward kernel on `wasm` and
 * `cpu`, wrapped in a differentiable op; other backends get the same maths from composite ops.
 *
 * Why: written with tf ops, a layer norm is about 9 kernel calls forward and 25 backward on the
 * whole [batch, position, dim] tensor (mean, centring, variance, rsqrt, scale, shift, and the
 * broadcasting gradients of each); SASRec runs five per step. One pass per direction removes
 * those calls, their engine overhead and their intermediate tensors.
 *
 * y = (x - mean) * rsqrt(var + epsilon) * gain + bias, with mean and (biased) variance per row.
 */
import { tf } from "../tf.ts";
import { type HostBackendName, memoryFor } from "./_backend_memory.ts";

const FORWARD = "DemureLayerNorm";
const BACKWARD = "DemureLayerNormGrad";

/**
 * Normalises each row of `x` ([rows, width]); writes `y`, and per row the mean and
 * 1/sqrt(var + epsilon) that the backward pass needs.
 *
 * @example
 * ```ts
 * const y = new Float32Array(2), mean = new Float32Array(1), rstd = new Float32Array(1);
 * layerNormRows(new Float32Array([1, 3]), new Float32Array([1, 1]), new Float32Array([0, 0]), 2, 0, y, mean, rstd);
 * // y = [-1, 1], mean = [2], rstd = [1]
 * ```
 */
export function layerNormRows(
  x: Float32Array,
  gain: Float32Array,
  bias: Float32Array,
  width: number,
  epsilon: number,
  y: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  const rows = x.length / width;
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    let sum = 0;
    for (let k = 0; k < width; k++) sum += x[start + k];
    const m = sum / width;
    let squares = 0;
    for (let k = 0; k < width; k++) {
      const c = x[start + k] - m;
      squares += c * c;
    }
    const s = 1 / Math.sqrt(squares / width + epsilon);
    mean[r] = m;
    rstd[r] = s;
    for (let k = 0; k < width; k++) y[start + k] = (x[start + k] - m) * s * gain[k] + bias[k];
  }
}

/**
 * Backward pass of {@linkcode layerNormRows}: dx ([rows, width]) and the gain and bias gradients
 * ([width]) from dy, using the saved per-row mean and rstd.
 *
 * @example
 * ```ts
 * layerNormRowsGradient(dy, x, gain, mean, rstd, width, dx, dGain, dBias);
 * ```
 */
export function layerNormRowsGradient(
  dy: Float32Array,
  x: Float32Array,
  gain: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  width: number,
  dx: Float32Array,
  dGain: Float32Array,
  dBias: Float32Array,
): void {
  const rows = x.length / width;
  const gainAcc = new Float64Array(width), biasAcc = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    const m = mean[r], s = rstd[r];
    // dx = s * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gain.
    let sumG = 0, sumGX = 0;
    for (let k = 0; k < width; k++) {
      const xhat = (x[start + k] - m) * s;
      const d = dy[start + k];
      const g = d * gain[k];
      sumG += g;
      sumGX += g * xhat;
      gainAcc[k] += d * xhat;
      biasAcc[k] += d;
    }
    const meanG = sumG / width, meanGX = sumGX / width;
    for (let k = 0; k < width; k++) {
      const xhat = (x[start + k] - m) * s;
      dx[start + k] = s * (dy[start + k] * gain[k] - meanG - xhat * meanGX);
    }
  }
  dGain.set(gainAcc);
  dBias.set(biasAcc);
}

function widthOf(x: tf.TensorInfo): { rows: number; width: number } {
  const width = x.shape[x.shape.length - 1];
  return { rows: x.shape.slice(0, -1).reduce((a, b) => a * b, 1), width };
}

function forwardKernel(backend: HostBackendName): tf.KernelFunc {
  return ({ inputs, backend: instance, attrs }) => {
    const { x, gain, bias } = inputs as unknown as Record<string, tf.TensorInfo>;
    const epsilon = (attrs as unknown as { epsilon: number }).epsilon;
    const { rows, width } = widthOf(x);
    const memory = memoryFor(backend, instance);
    const y = memory.allocate(x.shape, "float32");
    const mean = memory.allocate([rows], "float32");
    const rstd = memory.allocate([rows], "float32");
    const read = (info: tf.TensorInfo) => memory.read(info) as Float32Array;
    layerNormRows(
      read(x),
      read(gain),
      read(bias),
      width,
      epsilon,
      y.values() as Float32Array,
      mean.values() as Float32Array,
      rstd.values() as Float32Array,
    );
    return [y.info, mean.info, rstd.info];
  };
}

function backwardKernel(backend: HostBackendName): tf.KernelFunc {
  return ({ inputs, backend: instance }) => {
    const { dy, x, gain, mean, rstd } = inputs as unknown as Record<string, tf.TensorInfo>;
    const { width } = widthOf(x);
    const memory = memoryFor(backend, instance);
    const dx = memory.allocate(x.shape, "float32");
    const dGain = memory.allocate([width], "float32");
    const dBias = memory.allocate([width], "float32");
    const read = (info: tf.TensorInfo) => memory.read(info) as Float32Array;
    layerNormRowsGradient(
      read(dy),
      read(x),
      read(gain),
      read(mean),
      read(rstd),
      width,
      dx.values() as Float32Array,
      dGain.values() as Float32Array,
      dBias.values() as Float32Array,
    );
    return [dx.info, dGain.info, dBias.info];
  };
}

/**
 * Registers the two layer-norm kernels on `backend` (idempotent); returns their label.
 *
 * @example
 * ```ts
 * registerLayerNormKernels("wasm"); // ["LayerNorm(fused)"]
 * ```
 */
export function registerLayerNormKernels(backend: HostBackendName): string[] {
  if (tf.getKernel(FORWARD, backend) === undefined) {
    tf.registerKernel({
      kernelName: FORWARD,
      backendName: backend,
      kernelFunc: forwardKernel(backend),
    });
    tf.registerKernel({
      kernelName: BACKWARD,
      backendName: backend,
      kernelFunc: backwardKernel(backend),
    });
  }
  return ["LayerNorm(fused)"];
}

function compositeLayerNorm(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor, epsilon: number) {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gain), bias);
}

/**
 * Throws unless gain and bias are both [dim], x's last axis. The fused kernels read them by column
 * index: a longer one was cut to its first dim entries and a shorter one read NaN past its end,
 * without a word (the composite ops broadcast a [1] instead).
 */
function checkParameterShapes(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): void {
  const dim = x.shape[x.shape.length - 1];
  const fits = (t: tf.Tensor) => t.rank === 1 && t.shape[0] === dim;
  if (!fits(gain) || !fits(bias)) {
    throw new Error(
      `layerNorm: gain [${gain.shape}] and bias [${bias.shape}] must both be [${dim}], the last ` +
        `axis of x [${x.shape}]`,
    );
  }
}

/**
 * Layer normalisation of x ([..., dim]) with gain and bias ([dim]); differentiable in all three.
 * Fused kernels where registered (wasm, cpu), composite tf ops elsewhere (webgpu, tensorflow).
 *
 * @example
 * ```ts
 * const y = layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2])); // [[-1, 1]] (about)
 * ```
 */
export function layerNorm(
  x: tf.Tensor,
  gain: tf.Tensor,
  bias: tf.Tensor,
  epsilon = 1e-6,
): tf.Tensor {
  checkParameterShapes(x, gain, bias);
  if (tf.getKernel(FORWARD, tf.getBackend()) === undefined || x.dtype !== "float32") {
    return compositeLayerNorm(x, gain, bias, epsilon);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, rstd] = tf.engine().runKernel(FORWARD, { x: input, gain: g, bias: b }, {
      epsilon,
    }) as tf.Tensor[];
    save([input, g, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedX, savedGain, savedMean, savedRstd] = saved;
        return tf.engine().runKernel(BACKWARD, {
          dy,
          x: savedX,
          gain: savedGain,
          mean: savedMean,
          rstd: savedRstd,
        }, {}) as tf.Tensor[];
      },
    };
  });
  return op(x, gain, bias);
}
