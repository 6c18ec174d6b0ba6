/**
 * What the device check (`scripts/gpu_check.ts`) makes of its children: the result line a child
 * prints or why none, a `--profile` child's lines, the line per backend, the comparison of a
 * backend run twice from one seed, the ratio of wasm to webgpu, and the exit status. Here, not in
 * the script, so they are tested in-process (tests/cli/gpu_check_report_test.ts); in scripts/cli/,
 * which the offline archive carries whole.
 */
import type { System } from "./gpu_check_options.ts";

/** What a child reports (one JSON line on stdout, prefixed). */
export interface EpochTiming {
  backend: string;
  system: System;
  reason: string;
  /** Extra kernels of the backend (OpenBLAS matrix products, ...). */
  kernels: string[];
  users: number;
  items: number;
  steps: number;
  /** Seconds of the epoch's training steps (forward, backward, update, the one read per step). */
  trainSeconds: number;
  /** Seconds of the full-ranking validation after the epoch. */
  validationSeconds: number;
  loss: number;
  validNdcg10: number;
}

export const RESULT_PREFIX = "gpu_check result: ";

/** What a child process gave: its exit code and what it printed. */
export interface ChildOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Why a child gave no result: its exit code and the last line of its stderr, or "no output" when
 * it printed none (a child killed by the system, exit 137, says nothing). The one rule for every
 * child, timing or profile.
 */
export function failureReason(output: ChildOutput): string {
  const stderr = output.stderr.trim().split("\n");
  return `exit ${output.code}: ${stderr[stderr.length - 1] || "no output"}`;
}

/**
 * The numbers of a timing that the lines and the comparison read: a loss gone NaN on a backend
 * reaches the parent as null (JSON has no NaN), which is no timing to print or to compare.
 */
const TIMING_NUMBERS = [
  "steps",
  "trainSeconds",
  "validationSeconds",
  "loss",
  "validNdcg10",
] as const;

/**
 * A child's timing, or why there is none (`failureReason`; or, for a child that exited 0, its
 * result line that is not JSON or a number of it that is not finite, named).
 */
export function childResult(output: ChildOutput): EpochTiming | string {
  const line = output.stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (output.code !== 0 || !line) return failureReason(output);
  let timing: EpochTiming;
  try {
    timing = JSON.parse(line.slice(RESULT_PREFIX.length));
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, " ");
    return `exit ${output.code}: the result line is not JSON (${reason})`;
  }
  const bad = TIMING_NUMBERS.find((key) => !Number.isFinite(timing[key]));
  if (bad === undefined) return timing;
  return `exit ${output.code}: the result's ${bad} is ${
    JSON.stringify(timing[bad])
  }, not a finite number`;
}

/** What a `--profile` child prints before each of its lines. */
export const PROFILE_PREFIX = "gpu_check profile: ";

/**
 * The parent's lines for one backend's `--profile` child: each profile line it printed, named by
 * the backend, then, when it failed, why (`failureReason`); `failed` when it exited non-zero.
 */
export function profileLines(
  backend: string,
  output: ChildOutput,
): { lines: string[]; failed: boolean } {
  const lines = output.stdout.split("\n").filter((line) => line.startsWith(PROFILE_PREFIX))
    .map((line) => `${backend}: ${line.slice(PROFILE_PREFIX.length)}`);
  const failed = output.code !== 0;
  if (failed) lines.push(`${backend}: no profile (${failureReason(output)})`);
  return { lines, failed };
}

/** One backend's line: steps, seconds, loss, NDCG@10, and why this backend with its kernels. */
export function describeTiming(t: EpochTiming): string {
  return `${t.backend} (${t.system}): ${t.steps} steps in ${t.trainSeconds.toFixed(1)} s ` +
    `(${(1000 * t.trainSeconds / t.steps).toFixed(1)} ms/step), validation ` +
    `${t.validationSeconds.toFixed(1)} s, loss ${t.loss.toFixed(4)}, valid NDCG@10 ` +
    `${t.validNdcg10.toFixed(4)} [${t.reason}${
      t.kernels.length ? `; kernels: ${t.kernels.join(", ")}` : ""
    }]`;
}

/**
 * The lines after the backends' own: for each backend listed more than once, whether its runs
 * (same seed) gave the same loss and NDCG to the bit; then the wasm / webgpu ratio when both
 * timed, or why not. `status` is 0 only when every listed backend gave a timing and every repeat
 * matched.
 */
export function comparisonLines(
  backends: readonly string[],
  timings: readonly EpochTiming[],
): { lines: string[]; status: number } {
  const lines: string[] = [];
  // A backend listed twice ran twice from the same seed: same seed, same numbers, to the bit.
  let reproducible = true;
  for (const backend of new Set(backends)) {
    const [first, ...again] = timings.filter((t) => t.backend === backend);
    if (first === undefined || again.length === 0) continue;
    const same = again.every((t) => t.loss === first.loss && t.validNdcg10 === first.validNdcg10);
    reproducible &&= same;
    lines.push(
      `${backend}, ${again.length + 1} runs from one seed: epoch loss and valid NDCG@10 ${
        same
          ? "identical"
          : `differ (${[first, ...again].map((t) => `${t.loss} / ${t.validNdcg10}`).join(" vs ")})`
      }`,
    );
  }
  const gpu = timings.find((t) => t.backend === "webgpu");
  const wasm = timings.find((t) => t.backend === "wasm");
  if (gpu && wasm) {
    lines.push(
      `ratio wasm / webgpu: training ${(wasm.trainSeconds / gpu.trainSeconds).toFixed(2)}x, ` +
        `validation ${(wasm.validationSeconds / gpu.validationSeconds).toFixed(2)}x ` +
        `(above 1: webgpu is faster)`,
    );
  } else if (backends.includes("webgpu") && backends.includes("wasm")) {
    lines.push("ratio wasm / webgpu: not available (a backend gave no timing)");
  }
  return { lines, status: timings.length === backends.length && reproducible ? 0 : 1 };
}
