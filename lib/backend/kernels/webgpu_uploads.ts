/**
 * On `webgpu`, a tensor made on the host (a batch's ids, every number that an op turns into a
 * scalar: about 400 a SASRec step, 8 per parameter of them Adam's) reaches the GPU through
 * `GPUQueue.writeBuffer`, not through tfjs-backend-webgpu's (4.22.0) mapped staging buffer.
 *
 * Why: the stock upload creates a buffer mapped at creation and calls its `getMappedRange()`. On
 * an NVIDIA H200 under Deno 2.9.6 (2026-12-04, docs/gpu.md), a Beauty-shaped SASRec step spent
 * about 0.95 of its 1.3 s inside `getMappedRange` (V8's sampler: 70% of the JavaScript thread's
 * time), while the step's reads took 12 ms and its kernels 62-208 ms of GPU time: the calls stall
 * the thread that issues the kernels, more than 400 times a step. `writeBuffer` is what tfjs
 * itself uses for every kernel's uniforms (about 1,900 a step, 71-102 ms an epoch of the same
 * sampler), and it leaves the copy to the queue.
 *
 * The same bytes arrive at the same place in the queue's order: a buffer taken from tfjs's pool is
 * referenced by no command still being recorded (tfjs returns a buffer to the pool only once the
 * commands that use it are submitted), and `writeBuffer` lands after all work submitted before it
 * and before all work submitted after it, as the uniforms rely on. Results are unchanged, to the
 * bit (tests/backend/_webgpu_uploads_cases.ts). Data types whose bytes tfjs lays out otherwise
 * (`complex64`, `string`) and a backend without the private methods this replaces keep the stock
 * upload.
 */
import { tf } from "../tf.ts";

/** The parts of tfjs-backend-webgpu's backend (4.22.0, private) that an upload touches. */
interface WebgpuUploadBackend {
  uploadToGPU(dataId: tf.DataId): void;
  tensorMap: {
    get(dataId: tf.DataId): {
      dtype: tf.DataType;
      shape: number[];
      values: tf.backend_util.BackendValues | null;
      resource: unknown;
    };
  };
  bufferManager: { acquireBuffer(size: number, usage: number): GPUBuffer };
  queue: GPUQueue;
}

/** The stock upload of the backend it was replaced on, kept for {@linkcode restoreStagedUploads}. */
const stockUploads = new WeakMap<object, WebgpuUploadBackend["uploadToGPU"]>();

function isUploadBackend(backend: unknown): backend is WebgpuUploadBackend {
  const b = backend as Partial<WebgpuUploadBackend> | null;
  return typeof b?.uploadToGPU === "function" && typeof b.tensorMap?.get === "function" &&
    typeof b.bufferManager?.acquireBuffer === "function" &&
    typeof b.queue?.writeBuffer === "function";
}

/** The values as the 4-byte elements the GPU buffer holds (bool is stored as int32, as stock). */
function gpuElements(dtype: tf.DataType, values: tf.backend_util.BackendValues) {
  if (dtype === "float32") {
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }
  return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
}

/**
 * Replaces the current `webgpu` backend's upload of host-made tensors with one through
 * `GPUQueue.writeBuffer` (see the file's header); returns its name for the backend's kernel list,
 * or nothing where the backend is not tfjs-backend-webgpu's. Idempotent.
 *
 * @example
 * ```ts
 * import { tf } from "../tf.ts";
 * await tf.setBackend("webgpu");
 * registerQueuedUploads(); // ["uploads(writeBuffer)"]
 * ```
 */
export function registerQueuedUploads(): string[] {
  const backend = tf.findBackend("webgpu");
  if (!isUploadBackend(backend)) return [];
  if (stockUploads.has(backend)) return ["uploads(writeBuffer)"];
  const stock = backend.uploadToGPU;
  stockUploads.set(backend, stock);
  backend.uploadToGPU = function (this: WebgpuUploadBackend, dataId: tf.DataId) {
    const data = this.tensorMap.get(dataId);
    const queued = data.resource == null && data.values != null &&
      (data.dtype === "float32" || data.dtype === "int32" || data.dtype === "bool");
    if (!queued) return stock.call(this, dataId);
    const elements = gpuElements(data.dtype, data.values!);
    // The usage of tfjs's own tensor buffers, so they pool with the rest.
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = this.bufferManager.acquireBuffer(elements.byteLength, usage);
    // (tfjs's typed arrays are never over shared memory.)
    if (elements.byteLength > 0) {
      this.queue.writeBuffer(buffer, 0, elements as Float32Array<ArrayBuffer>);
    }
    data.resource = buffer;
    // Once uploaded, the host copy goes (as stock).
    data.values = null;
  };
  return ["uploads(writeBuffer)"];
}

/**
 * Puts tfjs-backend-webgpu's staging-buffer upload back on the `webgpu` backend (for A/B
 * measurements and tests).
 *
 * @example
 * ```ts
 * restoreStagedUploads();
 * ```
 */
export function restoreStagedUploads(): void {
  const backend = tf.findBackend("webgpu");
  const stock = backend ? stockUploads.get(backend) : undefined;
  if (!backend || !stock) return;
  (backend as unknown as WebgpuUploadBackend).uploadToGPU = stock;
  stockUploads.delete(backend);
}
