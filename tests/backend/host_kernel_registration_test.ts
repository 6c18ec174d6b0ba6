/**
 * Which kernels registerHostKernels replaces on each backend, and that unregisterHostKernels puts
 * every one of them back. The numeric tests compare the host kernels against tfjs's own, so a
 * kernel left unregistered (or never restored, making both sides the host kernel) passes them:
 * here each kernel function is compared with the stock one captured before any registration.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import {
  registerHostKernels,
  unregisterHostKernels,
} from "../../lib/backend/kernels/host_kernels.ts";

const REPLACED = ["Sum", "Mean", "GatherV2", "Slice", "Unpack", "Transpose", "Cast"];
const BINARY = ["Add", "Sub", "Multiply", "RealDiv"];
const BACKENDS = ["wasm", "cpu"] as const;

// Captured at load, before this module registers anything.
const stockKernels = new Map<string, tf.KernelFunc>();
for (const backend of BACKENDS) {
  for (const name of [...REPLACED, ...BINARY, "Identity"]) {
    const stock = tf.getKernel(name, backend);
    assert(stock !== undefined, `stock ${name} on ${backend}`);
    stockKernels.set(`${backend}/${name}`, stock.kernelFunc);
  }
}
const stockGradients = new Map(
  ["Mean", "Sum"].map((name) => [name, tf.getGradient(name)?.gradFunc]),
);

/** The kernel names now registered on `backend` whose function is not tfjs's own. */
function replacedOn(backend: "wasm" | "cpu"): string[] {
  return [...REPLACED, ...BINARY, "Identity"].filter((name) =>
    tf.getKernel(name, backend)?.kernelFunc !== stockKernels.get(`${backend}/${name}`)
  );
}

Deno.test("registerHostKernels replaces the listed kernels, binary ones on cpu, Identity on wasm", () => {
  const common = [
    ...REPLACED.map((name) => `${name}(host)`),
    "LayerNorm(fused)",
    "SoftmaxCrossEntropy(fused)",
    "AdamUpdate(fused)",
    "Mean/Sum gradients(broadcast)",
  ];
  assertEquals(registerHostKernels("cpu"), [...common, ...BINARY.map((name) => `${name}(host)`)]);
  assertEquals(replacedOn("cpu"), [...REPLACED, ...BINARY]);
  assertEquals(registerHostKernels("wasm"), [...common, "Identity(shared)"]);
  assertEquals(replacedOn("wasm"), [...REPLACED, "Identity"]);
  for (const backend of BACKENDS) {
    for (
      const name of [
        "DemureLayerNorm",
        "DemureLayerNormGrad",
        "DemureSoftmaxCrossEntropy",
        "DemureAdamUpdate",
      ]
    ) {
      assert(tf.getKernel(name, backend) !== undefined, `${name} on ${backend}`);
    }
  }
  // The Mean and Sum gradients are tfjs-core's no longer (they are global, not per backend).
  for (const [name, stock] of stockGradients) {
    assert(tf.getGradient(name)?.gradFunc !== stock, `${name} gradient replaced`);
  }
  // Idempotent: a second call replaces nothing more and names the same kernels.
  assertEquals(registerHostKernels("cpu"), [...common, ...BINARY.map((name) => `${name}(host)`)]);
  assertEquals(replacedOn("cpu"), [...REPLACED, ...BINARY]);
});

Deno.test("unregisterHostKernels puts tfjs's own kernel back for every one replaced", () => {
  for (const backend of BACKENDS) {
    registerHostKernels(backend);
    unregisterHostKernels(backend);
    assertEquals(replacedOn(backend), [], backend);
    registerHostKernels(backend);
    assert(replacedOn(backend).length > 0, `${backend}: registered again`);
  }
});
