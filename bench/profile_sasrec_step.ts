/**
 * Profiles one SASRec training step kernel by kernel (tf.profile) and prints where the time goes.
 *
 * Run: `deno run -A bench/profile_sasrec_step.ts [--no-blas] [--steps=3]`
 * (backend from `DEMURE_BACKEND`, default wasm).
 */
import { tf } from "../lib/backend/tf.ts";
import { initBackend } from "../lib/backend/init_backend.ts";
import { createSasRecStep, DEFAULT_SASREC_STEP_CONFIG, sasRecStepFlops } from "./_sasrec_step.ts";

/** Kernel time summed by kernel name, largest first. */
export interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
}

/**
 * Sums `tf.profile` kernel records by name.
 *
 * @example
 * ```ts
 * const info = await tf.profile(() => tf.matMul(a, b));
 * summariseKernels(info.kernels); // [{ kernel: "BatchMatMul", calls: 1, ms: 0.2 }]
 * ```
 */
export function summariseKernels(
  kernels: readonly { name: string; kernelTimeMs: unknown }[],
): KernelShare[] {
  const byName = new Map<string, KernelShare>();
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    byName.set(k.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

if (import.meta.main) {
  const blas = !Deno.args.includes("--no-blas");
  const stepsArg = Deno.args.find((a) => a.startsWith("--steps="));
  const steps = stepsArg ? Number(stepsArg.slice("--steps=".length)) : 3;
  const choice = await initBackend({ blas });
  const step = createSasRecStep(DEFAULT_SASREC_STEP_CONFIG);
  step.run(); // warm-up: kernel set-up, optimizer slots
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    step.run();
    times.push(performance.now() - start);
  }
  const info = await tf.profile(() => {
    step.run();
  });
  const shares = summariseKernels(info.kernels);
  const total = shares.reduce((s, k) => s + k.ms, 0);
  const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const flops = sasRecStepFlops(step.config);
  console.log(
    `backend ${choice.backend}, kernels ${choice.kernels.join(", ") || "stock"}; ` +
      `step median ${median.toFixed(1)} ms over ${steps}; ${
        (flops / 1e9).toFixed(2)
      } GFLOP/step, ` +
      `${(flops / median / 1e6).toFixed(1)} GFLOP/s; profiled kernel sum ${total.toFixed(1)} ms`,
  );
  console.log("kernel                    calls      ms   share");
  for (const k of shares.slice(0, 25)) {
    console.log(
      `${k.kernel.padEnd(24)} ${String(k.calls).padStart(6)} ${k.ms.toFixed(1).padStart(8)} ` +
        `${(100 * k.ms / total).toFixed(1).padStart(6)}%`,
    );
  }
  step.dispose();
}
