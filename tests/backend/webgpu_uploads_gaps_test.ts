/**
 * registerQueuedUploads / restoreStagedUploads against a stand-in "webgpu" backend: an object with
 * the private parts of tfjs-backend-webgpu that the queued upload touches. No GPU is needed, so
 * these run everywhere (the real-GPU cases, skipped without an adapter, are in
 * _webgpu_uploads_cases.ts): which backends are taken, what the second registration answers, and
 * which data go through `writeBuffer` and which to the stock upload.
 * Found by mutation round NE (NE12, NE13, NE14, NE15, NE17).
 */
import { assertEquals, assertStrictEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  registerQueuedUploads,
  restoreStagedUploads,
} from "../../lib/backend/kernels/webgpu_uploads.ts";

interface Entry {
  dtype: tf.DataType;
  shape: number[];
  values: unknown;
  resource: unknown;
}

/** A stand-in for tfjs-backend-webgpu's backend, recording what an upload does. */
function standIn() {
  const events: string[] = [];
  const entries = new Map<object, Entry>();
  const backend = {
    dispose() {},
    uploadToGPU(this: unknown, dataId: object) {
      events.push(`stock ${entries.get(dataId)!.dtype}${this === backend ? "" : " (this lost)"}`);
    },
    tensorMap: { get: (dataId: object) => entries.get(dataId)! },
    bufferManager: {
      acquireBuffer: (size: number, usage: number) => {
        events.push(`acquire ${size} ${usage}`);
        return { size } as unknown as GPUBuffer;
      },
    },
    queue: {
      writeBuffer: (_buffer: GPUBuffer, offset: number, data: ArrayBufferView) => {
        events.push(`write ${offset} ${data.constructor.name} [${Array.from(data as Int32Array)}]`);
      },
    },
  };
  return { backend, events, entries };
}

/** Runs `f` with `backend` registered as "webgpu", then removes it. */
function asWebgpu<T>(backend: object, f: () => T): T {
  // A priority below cpu's, so that nothing picks the stand-in as the active backend.
  tf.registerBackend("webgpu", () => backend as unknown as tf.KernelBackend, -1);
  try {
    return f();
  } finally {
    restoreStagedUploads();
    tf.removeBackend("webgpu");
  }
}

Deno.test("registerQueuedUploads without a webgpu backend answers nothing", () => {
  assertEquals(tf.findBackend("webgpu"), null);
  assertEquals(registerQueuedUploads(), []);
});

Deno.test("registerQueuedUploads leaves a backend without one of the parts it replaces alone", () => {
  for (const part of ["tensorMap", "bufferManager", "queue"] as const) {
    const { backend } = standIn();
    const partial = { ...backend, [part]: {} };
    const stock = partial.uploadToGPU;
    asWebgpu(partial, () => {
      assertEquals(registerQueuedUploads(), [], `without ${part}.*`);
      assertStrictEquals(partial.uploadToGPU, stock, `without ${part}.*, the stock upload stays`);
    });
  }
});

Deno.test("registerQueuedUploads names its route on every call, and replaces the upload once", () => {
  const { backend } = standIn();
  asWebgpu(backend, () => {
    assertEquals(registerQueuedUploads(), ["uploads(writeBuffer)"]);
    const queued = backend.uploadToGPU;
    assertEquals(registerQueuedUploads(), ["uploads(writeBuffer)"], "the second call names it too");
    assertStrictEquals(backend.uploadToGPU, queued);
  });
});

Deno.test("queued uploads: float32, int32 and bool through writeBuffer; complex64, and data on the GPU, to the stock upload", () => {
  const { backend, events, entries } = standIn();
  asWebgpu(backend, () => {
    const stock = backend.uploadToGPU;
    registerQueuedUploads();
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const upload = (entry: Entry) => {
      const id = {};
      entries.set(id, entry);
      events.length = 0;
      backend.uploadToGPU(id);
      return [...events];
    };
    const int32 = { dtype: "int32", shape: [2], values: new Int32Array([-7, 9]), resource: null };
    assertEquals(upload(int32 as Entry), [`acquire 8 ${usage}`, "write 0 Int32Array [-7,9]"]);
    assertEquals(
      [int32.values, int32.resource],
      [null, { size: 8 }],
      "host copy gone, buffer kept",
    );
    const float = { dtype: "float32", shape: [1], values: new Float32Array([0.5]), resource: null };
    assertEquals(upload(float as Entry), [`acquire 4 ${usage}`, "write 0 Float32Array [0.5]"]);
    const bool = { dtype: "bool", shape: [2], values: new Uint8Array([1, 0]), resource: null };
    assertEquals(upload(bool as Entry), [`acquire 8 ${usage}`, "write 0 Int32Array [1,0]"]);
    const complex = { dtype: "complex64", shape: [1], values: new Float32Array(2), resource: null };
    assertEquals(upload(complex as Entry), ["stock complex64"]);
    const onGpu = { dtype: "float32", shape: [1], values: new Float32Array(1), resource: {} };
    assertEquals(upload(onGpu as Entry), ["stock float32"]);
    restoreStagedUploads();
    assertStrictEquals(backend.uploadToGPU, stock);
  });
});
