/**
 * `registerAdamUpdateKernel` (lib/backend/kernels/adam_update.ts) registers the fused Adam kernel
 * once: a later call (every `registerHostKernels`, so every `initBackend` of the backend) keeps the
 * kernel it finds, silently, and still names it. Found by mutation round mu51a: registering again
 * on every call survived every test, and tfjs printed "The kernel 'DemureAdamUpdate' for backend
 * 'cpu' is already registered" each time.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { registerAdamUpdateKernel } from "../../lib/backend/kernels/adam_update.ts";

Deno.test("registerAdamUpdateKernel: a second call keeps the first kernel, warns nothing and names it", async () => {
  await tf.setBackend("cpu");
  const warnings: string[] = [];
  const warn = console.warn;
  // This module's own console: deno test runs each module in a worker of its own.
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    assertEquals(registerAdamUpdateKernel("cpu"), ["AdamUpdate(fused)"]);
    const first = tf.getKernel("DemureAdamUpdate", "cpu");
    assert(first !== undefined, "the first call registers the kernel");
    assertEquals(registerAdamUpdateKernel("cpu"), ["AdamUpdate(fused)"]);
    assert(tf.getKernel("DemureAdamUpdate", "cpu")?.kernelFunc === first.kernelFunc);
  } finally {
    console.warn = warn;
  }
  assertEquals(warnings, []);
});
