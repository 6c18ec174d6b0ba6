/**
 * The fixture of the tests of a host kernel reading its input after its output has grown the wasm
 * heap (host_kernels_test.ts, transpose_cast_gaps_test.ts, gather_gaps_test.ts), which each had a
 * copy: a 16 MB input, whose output of as much grows the heap and detaches any view of the input
 * taken before, and the heap's size.
 */
import { tf } from "../../lib/backend/tf.ts";

/** Rows and width of {@linkcode heapGrowthInput}: 16 x 262,144 float32 values, 16 MB. */
export const HEAP_GROWTH_SHAPE: readonly [number, number] = [16, 262_144];

/** A float32 tensor of {@linkcode HEAP_GROWTH_SHAPE} whose element i (row-major) is i % 1000. */
export function heapGrowthInput(): tf.Tensor2D {
  const [rows, width] = HEAP_GROWTH_SHAPE;
  return tf.tensor2d(Float32Array.from({ length: rows * width }, (_, i) => i % 1000), [
    rows,
    width,
  ]);
}

/** Bytes of the wasm backend's heap now (the backend must be "wasm"). */
export function wasmHeapBytes(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
}
