/**
 * The fixtures of the tests of the Slurm batch scripts (batch_test.ts, batch_gaps_test.ts), which
 * each had a copy: cell keys as the plan makes them (one with a quote), the submission settings of
 * a workspace in a temporary folder, and a script run through bash.
 */
import type { SubmissionSettings } from "../../scripts/slurm/batch.ts";
import { runCaptured } from "./_run.ts";

/** Three cell keys of a quick plan; the last holds a quote. (A `StageArray` takes a mutable list.) */
export const BATCH_KEYS: string[] = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  "quick/MovieLens/it's/seed=1",
];

/**
 * Settings of a quick plan in the workspace `dir` (results and logs below it), run by `deno` with
 * `permissions` (default: reading `dir`), 3 tasks at a time, without GPUs.
 */
export function settingsIn(
  dir: string,
  deno: string,
  permissions = [`--allow-read=${dir}`],
): SubmissionSettings {
  return {
    workspace: dir,
    resultsDir: `${dir}/results`,
    logDir: `${dir}/results/slurm/logs`,
    deno,
    permissions,
    planArgs: ["--quick"],
    concurrency: 3,
    gpus: 0,
  };
}

/** Runs `script` with `bash -c` in the environment `env` alone. */
export function bash(
  script: string,
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  return runCaptured("bash", ["-c", script], env);
}
