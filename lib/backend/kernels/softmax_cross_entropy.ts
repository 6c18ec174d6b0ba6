/**
 * Softmax cross-entropy of each row of logits [n, items] against one target id per row, with the
 * gradient (softmax - one_hot) written in the forward pass by one host kernel on `wasm` and `cpu`;
 * other backends get the same maths from composite ops.
 *
 * Why: the composite version (max, subtract, exp, sum, log, one-hot, multiply, sum forward; exp,
 * subtract, multiply again backward) walks the [n, items] matrix about ten times and computes
 * the exponential twice. In a `tf.profile` of a MovieLens training step (B=128, 3,496 items,
 * about 6,400 real positions) the two Exp calls alone took 349 ms of a 1,528 ms step (machine
 * under load). Here the backend's own (SIMD) kernels compute max, exp(x - max) and the row sums
 * once; the host kernel then writes the loss and softmax - one_hot in one pass (no exponential:
 * JavaScript's Math.exp measured about 40 ns per entry against about 3 ns for a plain pass); the
 * backward pass is one multiplication of the saved gradient by dy. One [n, items] matrix is saved
 * instead of two (the logits and the one-hot).
 *
 * loss_r = max_r + log(sum_j exp(x_rj - max_r)) - x_r,target;
 * dloss_r/dx_rj = softmax(x_r)_j - [j = target].
 */
import { tf } from "../tf.ts";
import { type HostBackendName, memoryFor } from "./_backend_memory.ts";

const KERNEL = "DemureSoftmaxCrossEntropy";

/**
 * Per row r of `exps` ([rows, width], exp(x - max_r)) with row sums `sums` and maxima `maxima`:
 * the cross-entropy against `targets[r]` into `loss`, and softmax - one_hot into `gradient`.
 *
 * @example
 * ```ts
 * const loss = new Float32Array(1), gradient = new Float32Array(2);
 * softmaxCrossEntropyRows(Float32Array.of(1, 1), Float32Array.of(2), Float32Array.of(0),
 *   Float32Array.of(0, 0), Int32Array.of(1), 2, loss, gradient);
 * // loss = [log 2], gradient = [0.5, -0.5]
 * ```
 */
export function softmaxCrossEntropyRows(
  exps: Float32Array,
  sums: Float32Array,
  maxima: Float32Array,
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
    checkTarget(target, r, width);
    loss[r] = maxima[r] + Math.log(sums[r]) - logits[start + target];
    const scale = 1 / sums[r];
    for (let j = 0; j < width; j++) gradient[start + j] = exps[start + j] * scale;
    gradient[start + target] -= 1;
  }
}

/** Throws unless `target`, the id of row `row`, is one of the row's `width` items. */
function checkTarget(target: number, row: number, width: number): void {
  if (!(target >= 0 && target < width)) {
    throw new Error(`softmaxCrossEntropy: target ${target} of row ${row} is not in [0, ${width})`);
  }
}

/**
 * Throws unless `logits` is [rows, items] and `targets` is `rows` int32 ids; on the composite
 * path also unless every id is an item (the fused kernel checks each row's as it goes).
 */
function checkInputs(logits: tf.Tensor, targets: tf.Tensor1D, fused: boolean): void {
  if (logits.rank !== 2) {
    throw new Error(`softmaxCrossEntropy: logits must be [rows, items], not [${logits.shape}]`);
  }
  const [rows, width] = logits.shape;
  // The fused kernel would leave the loss of rows without an id unwritten (and ignore extra ids);
  // the composite ops would broadcast a single id to every row.
  if (targets.rank !== 1 || targets.shape[0] !== rows) {
    throw new Error(
      `softmaxCrossEntropy: target ids [${targets.shape}] for logits [${logits.shape}]: ` +
        `need one id per row, [${rows}]`,
    );
  }
  // Float ids would be truncated by the fused kernel's cast (and refused by tf.oneHot).
  if (targets.dtype !== "int32") {
    throw new Error(`softmaxCrossEntropy: target ids must be int32, not ${targets.dtype}`);
  }
  if (fused) return;
  // tf.oneHot gives an all-zero row for an id outside [0, width): the loss would silently be the
  // log-sum-exp alone. The ids are a batch's, made on the host, so on webgpu this read finds them
  // there rather than waiting for the GPU.
  targets.dataSync().forEach((target, r) => checkTarget(target, r, width));
}

function kernel(backend: HostBackendName): tf.KernelFunc {
  return ({ inputs, backend: instance }) => {
    const { exps, sums, maxima, logits, targets } = inputs as unknown as Record<
      string,
      tf.TensorInfo
    >;
    const [rows, width] = logits.shape;
    const memory = memoryFor(backend, instance);
    const loss = memory.allocate([rows], "float32");
    const gradient = memory.allocate([rows, width], "float32");
    try {
      softmaxCrossEntropyRows(
        memory.read(exps) as Float32Array,
        memory.read(sums) as Float32Array,
        memory.read(maxima) as Float32Array,
        memory.read(logits) as Float32Array,
        memory.read(targets) as Int32Array,
        width,
        loss.values() as Float32Array,
        gradient.values() as Float32Array,
      );
    } catch (error) {
      // A refused id: tfjs never gets the outputs.
      memory.free(loss.info);
      memory.free(gradient.info);
      throw error;
    }
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
  // tf.oneHot refuses a depth of 1 ("depth must be >=2"); with one item every row's target is
  // that item, so its one-hot is all ones (the fused kernel gives loss 0 and gradient 0 there too).
  const oneHot = numItems === 1
    ? tf.ones([x.shape[0] as number, 1])
    : tf.cast(tf.oneHot(targets, numItems), "float32");
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
 * Softmax cross-entropy of each row of logits [n, numItems] against int32 target ids [n], each in
 * [0, numItems) -> [n], differentiable in the logits: the fused kernel where registered (wasm,
 * cpu), composite tf ops elsewhere. Ids of another shape, dtype or range are an error on both.
 *
 * @example
 * ```ts
 * const perRow = softmaxCrossEntropy(tf.matMul(rows, itemTable, false, true), targetIds); // [n]
 * ```
 */
export function softmaxCrossEntropy(logits: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const fused = tf.getKernel(KERNEL, tf.getBackend()) !== undefined && logits.dtype === "float32";
  checkInputs(logits, targets, fused);
  const op = tf.customGrad<tf.Tensor1D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    if (!fused) return compositeRows(x, targets, save);
    const maxima = tf.max(x, -1);
    const exps = tf.exp(tf.sub(x, tf.expandDims(maxima, -1)));
    const [loss, gradient] = tf.engine().runKernel(KERNEL, {
      exps,
      sums: tf.sum(exps, -1),
      maxima,
      logits: x,
      targets,
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
