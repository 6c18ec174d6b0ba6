/**
 * A `Slice` kernel for `wasm` and `cpu` that copies contiguous runs straight between tensor views.
 *
 * Why: tfjs's wasm `Slice` first copies the whole input out of the wasm heap (`readSync`) into a
 * fresh JS buffer; taking the last position of a [256, 50, 64] tensor cost 30-50 ms under memory
 * pressure instead of well under 1 ms.
 */
import type { tf } from "../tf.ts";
import {
  type HostBackendName,
  type HostValues,
  isHostDtype,
  memoryFor,
} from "./_backend_memory.ts";

/**
 * Copies the block `begin .. begin + size` of `x` (row-major `shape`) into `out`.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * copyBlock(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [0, 1], [2, 1], out);
 * // out = [2, 5]
 * ```
 */
export function copyBlock(
  x: HostValues,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: HostValues,
): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  // Merge trailing dims that are taken whole into one contiguous run.
  let runDim = rank - 1;
  let run = size[runDim];
  while (runDim > 0 && size[runDim] === shape[runDim] && begin[runDim] === 0) {
    runDim--;
    run *= size[runDim];
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const index = new Array<number>(runDim).fill(0);
  const runs = size.slice(0, runDim).reduce((a, b) => a * b, 1);
  let target = 0;
  for (let r = 0; r < runs; r++) {
    let source = begin[runDim] * strides[runDim];
    for (let d = 0; d < runDim; d++) source += (begin[d] + index[d]) * strides[d];
    out.set(x.subarray(source, source + run), target);
    target += run;
    for (let d = runDim - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}

interface SliceAttrs {
  begin: number | number[];
  /** Absent when the caller gave none (`tf.slice(x, begin)`): every axis to its end. */
  size?: number | number[];
}

/**
 * Resolves tfjs's slice parameters: scalar begin/size, -1 meaning "to the end", and no size at
 * all meaning every axis to its end (tfjs-core hands the kernel `size` as the caller gave it).
 */
function resolveSlice(shape: readonly number[], attrs: SliceAttrs) {
  const rank = shape.length;
  const begin = typeof attrs.begin === "number"
    ? [attrs.begin, ...new Array<number>(rank - 1).fill(0)]
    : [...attrs.begin, ...new Array<number>(rank - attrs.begin.length).fill(0)];
  const givenSize = attrs.size ?? [];
  const rawSize = typeof givenSize === "number"
    ? [givenSize, ...new Array<number>(rank - 1).fill(-1)]
    : [...givenSize, ...new Array<number>(rank - givenSize.length).fill(-1)];
  const size = rawSize.map((s, d) => (s === -1 ? shape[d] - begin[d] : s));
  for (let d = 0; d < rank; d++) {
    if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > shape[d]) {
      throw new Error(
        `Slice: begin [${begin}] + size [${size}] is outside the input shape [${shape}]`,
      );
    }
  }
  return { begin, size };
}

/**
 * The `Slice` kernel factory.
 *
 * @example
 * ```ts
 * replaceKernel("Slice", "wasm", (stock) => makeSliceKernel("wasm", stock));
 * ```
 */
export function makeSliceKernel(backend: HostBackendName, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (!isHostDtype(x.dtype)) return stock(args);
    const { begin, size } = resolveSlice(x.shape, args.attrs as unknown as SliceAttrs);
    const memory = memoryFor(backend, args.backend);
    const out = memory.allocate(size, x.dtype);
    const outValues = out.values();
    if (outValues.length > 0) copyBlock(memory.read(x), x.shape, begin, size, outValues);
    return out.info;
  };
}

/**
 * The `Unpack` (`tf.unstack`) kernel factory: one block copy per output.
 *
 * Why: the stock wasm `Unpack` calls the stock `Slice` once per output, and each of those copies
 * the whole input out of the wasm heap first; unstacking the [3496, 5, 64] item embeddings of the
 * library model took about 84 ms.
 *
 * @example
 * ```ts
 * replaceKernel("Unpack", "wasm", (stock) => makeUnpackKernel("wasm", stock));
 * ```
 */
export function makeUnpackKernel(backend: HostBackendName, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { value } = args.inputs as unknown as { value: tf.TensorInfo };
    const { axis } = args.attrs as unknown as { axis: number };
    const dtype = value.dtype;
    if (!isHostDtype(dtype)) return stock(args);
    const rank = value.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    const count = value.shape[a];
    const size = value.shape.map((s, d) => (d === a ? 1 : s));
    const outShape = value.shape.filter((_, d) => d !== a);
    const memory = memoryFor(backend, args.backend);
    const outs = Array.from({ length: count }, () => memory.allocate(outShape, dtype));
    const x = memory.read(value); // after every allocation: the wasm heap may have grown
    return outs.map((out, i) => {
      const values = out.values();
      if (values.length > 0) {
        copyBlock(x, value.shape, size.map((_, d) => (d === a ? i : 0)), size, values);
      }
      return out.info;
    });
  };
}
