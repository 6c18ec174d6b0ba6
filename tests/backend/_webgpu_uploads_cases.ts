/**
 * The webgpu route's upload of host-made tensors through `GPUQueue.writeBuffer`
 * (`lib/backend/kernels/webgpu_uploads.ts`): the values arrive as they are for every data type the
 * route takes, the host copy goes and a tensor read back keeps its buffer, a pooled buffer still
 * in use by queued work is not overwritten early, no mapped staging buffer is made, and training
 * gives the stock route's numbers to the bit. Runs where Deno's WebGPU offers an adapter (a GPU,
 * or Mesa's lavapipe), skipped with the reason printed where none does.
 *
 * A child's program: webgpu_uploads_test.ts runs it with `deno test` in a process of its own, and no test
 * imports it. `probeWebgpu` (and `activateWebgpu`, through it) sets DENO_WEBGPU_BACKEND and
 * XDG_RUNTIME_DIR for wgpu and keeps them, and `deno test --parallel` runs every test module in
 * one process: in there, every program another test starts afterwards would inherit them.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { activateWebgpu, probeWebgpu } from "../../lib/backend/webgpu.ts";
import {
  registerQueuedUploads,
  restoreStagedUploads,
} from "../../lib/backend/kernels/webgpu_uploads.ts";
import { registerUnsortedSegmentSum } from "../../lib/backend/kernels/unsorted_segment_sum.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";

const probe = await probeWebgpu();
const ignore = !probe.available;
if (ignore) console.log(`webgpu upload tests skipped: ${probe.reason}`);
registerUnsortedSegmentSum();

/** Counts buffers created mapped (the stock route's staging buffers) while `work` runs. */
async function mappedBuffersMadeBy(work: () => Promise<unknown>): Promise<number> {
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const create = device.createBuffer;
  let mapped = 0;
  device.createBuffer = function (descriptor: GPUBufferDescriptor) {
    if (descriptor.mappedAtCreation) mapped++;
    return create.call(this, descriptor);
  };
  try {
    await work();
  } finally {
    device.createBuffer = create;
  }
  return mapped;
}

/** Host values of each data type the route takes, uploaded by a GPU op and read back. */
async function roundTrips() {
  const floats = Float32Array.from({ length: 100_003 }, (_, i) => Math.sin(i) * 1e3);
  const cases = {
    float32: tf.tensor1d(floats),
    // (Within float32's exact integers: webgpu's int32 multiply goes through float32.)
    int32: tf.tensor2d([[-7, 0], [16_777_216, -16_777_216]], [2, 2], "int32"),
    bool: tf.tensor1d([true, false, true], "bool"),
    scalar: tf.scalar(-0.125),
    empty: tf.tensor2d([], [0, 3]),
  };
  const read = async (t: tf.Tensor) => {
    // An op on the GPU (small ones too: WEBGPU_CPU_FORWARD is off), so the values are uploaded.
    const moved = tf.tidy(() =>
      t.dtype === "bool" ? tf.logicalNot(tf.logicalNot(t)) : tf.mul(t, 1)
    );
    const values = Array.from(await moved.data() as ArrayLike<number | boolean>, Number);
    tf.dispose([t, moved]);
    return values;
  };
  return {
    float32: [await read(cases.float32), Array.from(floats)],
    int32: [await read(cases.int32), [-7, 0, 16_777_216, -16_777_216]],
    bool: [await read(cases.bool), [1, 0, 1]],
    scalar: [await read(cases.scalar), [-0.125]],
    empty: [await read(cases.empty), []],
  };
}

Deno.test({
  name:
    "webgpu uploads: values arrive as made, for float32, int32, bool, a scalar and an empty tensor",
  ignore,
  fn: async () => {
    await activateWebgpu();
    // A second registration (every activateWebgpu makes one) keeps the stock upload to put back.
    assertEquals(registerQueuedUploads(), ["uploads(writeBuffer)"]);
    // Small ops on host-made tensors would otherwise run on the CPU, with nothing uploaded.
    tf.env().set("WEBGPU_CPU_FORWARD", false);
    try {
      let trips: Awaited<ReturnType<typeof roundTrips>> | undefined;
      const mapped = await mappedBuffersMadeBy(async () => trips = await roundTrips());
      for (const [dtype, [got, want]] of Object.entries(trips!)) assertEquals(got, want, dtype);
      // Every upload went through the queue: no staging buffer was made.
      assertEquals(mapped, 0);
      // The stock route, put back, does make them: the count above can see it.
      restoreStagedUploads();
      // Restoring again, with nothing registered, keeps the stock upload: it has none to put back.
      restoreStagedUploads();
      const stockMapped = await mappedBuffersMadeBy(async () => trips = await roundTrips());
      for (const [dtype, [got, want]] of Object.entries(trips!)) assertEquals(got, want, dtype);
      assert(stockMapped > 0, "the stock route made no mapped buffer");
      // Registered again after the restore, the queued route is back.
      registerQueuedUploads();
      assertEquals(await mappedBuffersMadeBy(roundTrips), 0, "the queued route did not come back");
    } finally {
      tf.env().set("WEBGPU_CPU_FORWARD", true);
      registerQueuedUploads();
      await tf.setBackend("wasm");
    }
  },
});

Deno.test({
  name:
    "webgpu uploads: once a tensor is uploaded, its host copy is dropped; read back, it keeps its buffer",
  ignore,
  fn: async () => {
    await activateWebgpu();
    tf.env().set("WEBGPU_CPU_FORWARD", false);
    const backend = tf.backend() as unknown as {
      tensorMap: { get(dataId: tf.DataId): { values: unknown; resource: unknown } };
    };
    const x = tf.tensor1d([1, 2, 3, 4]);
    try {
      const doubled = tf.mul(x, 2);
      const entry = backend.tensorMap.get(x.dataId);
      assert(entry.resource != null, "x was not uploaded");
      // As the stock upload: the host copy would double the memory of every host-made tensor.
      assertEquals(entry.values, null, "the host copy stayed after the upload");
      const buffer = entry.resource;
      // Read back from its GPU buffer (which the copy to the host needs as a source); the read
      // caches the values on the host next to the buffer (tfjs's convertAndCacheOnCPU).
      assertEquals(Array.from(await x.data()), [1, 2, 3, 4]);
      assertEquals(Array.from(await doubled.data()), [2, 4, 6, 8]);
      assert(backend.tensorMap.get(x.dataId).values != null, "the read cached no values");
      // Used again, x keeps its buffer: uploaded again, it would take a new one and leak the old.
      // By identity: assertEquals finds any two GPUBuffers equal (they have no own fields).
      const tripled = tf.mul(x, 3);
      assert(backend.tensorMap.get(x.dataId).resource === buffer, "x was uploaded again");
      assertEquals(Array.from(await tripled.data()), [3, 6, 9, 12]);
      tf.dispose([doubled, tripled]);
    } finally {
      x.dispose();
      tf.env().set("WEBGPU_CPU_FORWARD", true);
      await tf.setBackend("wasm");
    }
  },
});

Deno.test({
  name: "webgpu uploads: a pooled buffer still read by queued work is not overwritten before it",
  ignore,
  fn: async () => {
    await activateWebgpu();
    try {
      for (let round = 0; round < 20; round++) {
        // `a`'s buffer is read by the queued product, then `a` goes back to the pool; the next
        // upload of the same size may take that buffer while the product has not run yet.
        const a = tf.tensor2d(new Float32Array(64 * 64).fill(round + 1), [64, 64]);
        const identity = tf.eye(64);
        const product = tf.matMul(a, identity);
        tf.dispose([a, identity]);
        const b = tf.tensor2d(new Float32Array(64 * 64).fill(-1000), [64, 64]);
        const sum = tf.add(b, 0);
        const [p, s] = await Promise.all([product.data(), sum.data()]);
        assertEquals(new Set(p), new Set([round + 1]), `round ${round}`);
        assertEquals(new Set(s), new Set([-1000]), `round ${round}`);
        tf.dispose([product, b, sum]);
      }
    } finally {
      await tf.setBackend("wasm");
    }
  },
});

Deno.test({
  name: "webgpu uploads: two SASRec training epochs give the stock route's losses, to the bit",
  ignore,
  fn: async () => {
    const data = generateSynthetic({
      seed: 5,
      numUsers: 32,
      numItems: 40,
      historyLength: 8,
      modalities: [{ name: "text", dim: 4 }],
    });
    const split = leaveOneOutSplit(data.dataset, { maxLength: 8 });
    const losses = async () => {
      const model = new SequentialRecommender(split.dataset, {
        dim: 8,
        maxLength: 8,
        seed: 1,
        sasrec: { blocks: 1, heads: 1, dropout: 0.2 },
      });
      try {
        const { history } = await trainModel(
          model,
          split,
          { maxEpochs: 2, batchSize: 8, seed: 3, resume: false },
          { onProgress: () => {}, validate: () => ({ "NDCG@10": 0 }) },
        );
        return history.map((epoch) => epoch.loss);
      } finally {
        model.dispose();
      }
    };
    await activateWebgpu();
    try {
      const queued = await losses();
      restoreStagedUploads();
      const staged = await losses();
      assertEquals(queued, staged);
      assert(queued.every(Number.isFinite), `losses ${queued}`);
    } finally {
      registerQueuedUploads();
      await tf.setBackend("wasm");
    }
  },
});
