/**
 * Softmax cross-entropy of each row of logits [n, items] against one target id per row, as one
 * host kernel on `wasm` and `cpu` that also writes the gradient (softmax - one_hot); other
 * backends get the same maths from composite ops.
 *
 * Why: the composite version (max, subtract, exp, sum, log, one-hot, multiply, sum forward; exp,
 * subtract, multiply again backward) walks the [n, items] matrix about ten times and computes
 * the exponential twice. In a `tf.profile` of a MovieLens training step (B=128, 3,496 items,
 * about 6,400 real positions) the two Exp calls alone took 349 ms of a 1,528 ms step (machine
 * under load). Here each row is read three times and exponentiated once; the backward pass is one
 * multiplication of the saved gradient by dy. It also saves one [n, items] matrix instead of two
 * (the logits and the one-hot).
 *
 * loss_r = log(sum_j exp(x_rj)) - x_r,target; dloss_r/dx_rj = softmax(x_r)_j - [j = target].
 */
import { tf } from "../tf.ts";
import { type HostBackendName, memoryFor } from "./_backend_memory.ts";

const KERNEL = "DemureSoftmaxCrossEntropy";

/**
 * Per row of `logits` ([rows, width]): the cross-entropy against `targets[row]` into `loss`, and
 * softmax - one_hot into `gradient` ([rows, width]).
 *
 * @example
 * ```ts
 * const loss = new Float32Array(1), gradient = new Float32Array(2);
 * softmaxCrossEntropyRows(Float32Array.of(0, 0), Int32Array.of(1), 2, loss, gradient);
 * // loss = [log 2], gradient = [0.5, -0.5]
 * ```
 */
export function softmaxCrossEntropyRows(
  logits: Float32Array,
  targets: Int32Array,
  width: number,
  loss: Float32Array,
  gradient: Float32Array,
): void {
  const rows = targets.length;
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    const target = targets[r];
    if (!(target >= 0 && target < width)) {
      throw new Error(`softmaxCrossEntropy: target ${target} of row ${r} is not in [0, ${width})`);
    }
    let max = -Infinity;
    for (let j = 0; j < width; j++) if (logits[start + j] > max) max = logits[start + j];
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const e = Math.exp(logits[start + j] - max);
      gradient[start + j] = e;
      sum += e;
    }
    loss[r] = max + Math.log(sum) - logits[start + target];
    const scale = 1 / sum;
    for (let j = 0; j < width; j++) gradient[start + j] *= scale;
    gradient[start + target] -= 1;
  }
}

function kernel(backend: HostBackendName): tf.KernelFunc {
  return ({ inputs, backend: instance }) => {
    const { logits, targets } = inputs as unknown as Record<string, tf.TensorInfo>;
    const [rows, width] = logits.shape;
    const memory = memoryFor(backend, instance);
    const loss = memory.allocate([rows], "float32");
    const gradient = memory.allocate([rows, width], "float32");
    softmaxCrossEntropyRows(
      memory.read(logits) as Float32Array,
      memory.read(targets) as Int32Array,
      width,
      loss.values() as Float32Array,
      gradient.values() as Float32Array,
    );
    return [loss.info, gradient.info];
  };
}

/**
 * Registers the kernel on `backend` (idempotent); returns its label.
 *
 * @example
 * ```ts
 * registerSoftmaxCrossEntropyKernel("wasm"); // ["SoftmaxCrossEntropy(fused)"]
 * ```
 */
export function registerSoftmaxCrossEntropyKernel(backend: HostBackendName): string[] {
  if (tf.getKernel(KERNEL, backend) === undefined) {
    tf.registerKernel({ kernelName: KERNEL, backendName: backend, kernelFunc: kernel(backend) });
  }
  return ["SoftmaxCrossEntropy(fused)"];
}

function compositeRows(x: tf.Tensor, targets: tf.Tensor1D, save: tf.GradSaveFunc) {
  const numItems = x.shape[1] as number;
  const logZ = tf.logSumExp(x, -1); // [n]
  const oneHot = tf.cast(tf.oneHot(targets, numItems), "float32");
  const picked = tf.sum(tf.mul(x, oneHot), -1);
  // Saved tensors outlive the caller's tidy (the gradient runs later), so the one-hot is saved too.
  save([x, logZ, oneHot]);
  return {
    value: tf.sub(logZ, picked) as tf.Tensor1D,
    gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => {
      const [input, normaliser, targetMask] = saved;
      const probabilities = tf.exp(tf.sub(input, tf.expandDims(normaliser, -1)));
      return [tf.mul(tf.sub(probabilities, targetMask), tf.expandDims(dy, -1))];
    },
  };
}

/**
 * Softmax cross-entropy of each row of logits [n, numItems] against target ids [n] -> [n],
 * differentiable in the logits: the fused kernel where registered (wasm, cpu), composite tf ops
 * elsewhere.
 *
 * @example
 * ```ts
 * const perRow = softmaxCrossEntropy(tf.matMul(rows, itemTable, false, true), targetIds); // [n]
 * ```
 */
export function softmaxCrossEntropy(logits: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const fused = tf.getKernel(KERNEL, tf.getBackend()) !== undefined && logits.dtype === "float32";
  const op = tf.customGrad<tf.Tensor1D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    if (!fused) return compositeRows(x, targets, save);
    const [loss, gradient] = tf.engine().runKernel(KERNEL, {
      logits: x,
      targets: tf.cast(targets, "int32"),
    }, {}) as tf.Tensor[];
    save([gradient]);
    return {
      value: loss as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => [
        tf.mul(saved[0], tf.expandDims(dy, -1)),
      ],
    };
  });
  return op(logits) as tf.Tensor1D;
}
