/**
 * Profiles the real training step kernel by kernel (tf.profile): the library's SASRec trained by
 * `trainStep` with the grid's settings (bench/_workloads.ts), and prints where the time goes and
 * the step's matrix-product work.
 *
 * Run: `deno task profile [--workload=movielens|beauty] [--no-blas] [--steps=3]` (backend from
 * `DEMURE_BACKEND`, unset: initBackend's choice, tensorflow where tfjs-node loads, else wasm;
 * default workload movielens; `--steps` timed steps, 1..10000;
 * `--help` prints the options; no `--` before them: deno task passes it on, and it ends the
 * options). Its usage and messages name the task, as `bench:demure`'s do.
 */
import { choiceOption, integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import { initBackend, tf } from "../lib/backend/mod.ts";
import {
  beautyShapedWorkloadData,
  libraryTrainingStep,
  movieLensWorkloadData,
  stepFlops,
  stepShapeOf,
  timingConditions,
} from "./_workloads.ts";

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

const WORKLOADS = ["movielens", "beauty"] as const;

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = { workload: "movielens", steps: 3 } as const;

const USAGE = `usage: deno task profile [--workload=movielens|beauty] [--no-blas] [--steps=N]
  --workload W  ${WORKLOADS.join(" or ")} (default ${DEFAULTS.workload})
  --no-blas     without the OpenBLAS kernels
  --steps N     timed steps after a warm-up step (default ${DEFAULTS.steps}; 1..10000)
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    workload: { type: "string", default: DEFAULTS.workload },
    "no-blas": { type: "boolean", default: false },
    steps: { type: "string", default: String(DEFAULTS.steps) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const blas = !values["no-blas"];
  // A larger value is a typo: each step is a fraction of a second to seconds.
  const steps = integerOption("steps", values.steps, 1, 10_000);
  const beauty = choiceOption("workload", values.workload, WORKLOADS) === "beauty";
  const choice = await initBackend({ blas, verbose: false });
  const data = beauty ? beautyShapedWorkloadData() : await movieLensWorkloadData();
  const step = libraryTrainingStep(data, 128);
  await step.run(); // warm-up: kernel set-up, optimizer slots
  const times: number[] = [];
  const flops: number[] = [];
  for (let i = 0; i < steps; i++) {
    flops.push(
      stepFlops(
        stepShapeOf(step.batches[step.step % step.batches.length], step.model, data.dataset),
      ),
    );
    const start = performance.now();
    await step.run();
    times.push(performance.now() - start);
  }
  // The whole step, awaited: forward, backward and, after the step's one read, Adam's update
  // (the step was left running, unawaited, and disposed under it at the end).
  const info = await tf.profile(() => step.run());
  const shares = summariseKernels(info.kernels).filter((k) => k.kernel !== "unnamed scope");
  const total = shares.reduce((s, k) => s + k.ms, 0);
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
  const mid = order[Math.floor(order.length / 2)];
  console.log(
    `${data.dataset.name}: backend ${choice.backend}, kernels ${
      choice.kernels.join(", ") || "stock"
    }; step median ${times[mid].toFixed(1)} ms over ${steps}; ${
      (flops[mid] / 1e9).toFixed(2)
    } GFLOP in that step, ${(flops[mid] / times[mid] / 1e6).toFixed(1)} GFLOP/s; profiled ` +
      `kernel sum ${total.toFixed(1)} ms; ${timingConditions(choice)}`,
  );
  console.log("kernel                      calls       ms   share");
  for (const k of shares.slice(0, 25)) {
    console.log(
      `${k.kernel.padEnd(26)} ${String(k.calls).padStart(6)} ${k.ms.toFixed(1).padStart(8)} ` +
        `${(100 * k.ms / total).toFixed(1).padStart(6)}%`,
    );
  }
  step.dispose();
  return 0;
}

if (import.meta.main) await runScript("profile", main);
