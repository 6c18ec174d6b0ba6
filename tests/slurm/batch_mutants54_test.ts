/**
 * The Slurm array script (scripts/slurm/batch.ts), mutation pass 54 (mu54a): its BLAS threads are
 * the CPUs Slurm gave the task (which a `sbatch --cpus-per-task` on the command line may change),
 * and a workspace it cannot enter stops it before reproduce runs. Run through bash with a
 * stand-in deno.
 */
import { assert, assertEquals } from "@std/assert";
import { bash, BATCH_KEYS as KEYS, settingsIn } from "./_batch_settings.ts";
import { cellsBatchScript } from "../../scripts/slurm/batch.ts";

const RESOURCES = { cpus: 3, memoryMb: 1024, minutes: 10 };

/** Runs `body` with a temporary folder holding a stand-in deno that prints its threads and args. */
function withFakeDeno(body: (dir: string, deno: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "batch_mutants54_" });
  try {
    const deno = `${dir}/fake-deno`;
    Deno.writeTextFileSync(
      deno,
      '#!/bin/bash\necho "threads=${DEMURE_BLAS_THREADS-unset}"\necho "args=$*"\n',
    );
    Deno.chmodSync(deno, 0o755);
    body(dir, deno);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("array script: the BLAS threads are the CPUs Slurm gave the task, not the ones asked for", () => {
  // Mutant mu54a B8 (DEMURE_BLAS_THREADS fixed to the request) ran 3 threads on 5 CPUs.
  withFakeDeno((dir, deno) => {
    const script = cellsBatchScript({ stage: 0, keys: KEYS, resources: RESOURCES }, {
      ...settingsIn(dir, deno),
      workspace: dir,
    });
    const run = bash(script, {
      SLURM_ARRAY_TASK_ID: "0",
      SLURM_ARRAY_JOB_ID: "41",
      SLURM_CPUS_PER_TASK: "5",
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout.trim().split("\n")[1], "threads=5");
  });
});

Deno.test("array script: a workspace it cannot enter stops it before reproduce runs", () => {
  // Mutant mu54a B14 (`set -uo pipefail`, without -e) went on after the failed `cd` and ran
  // reproduce in the folder the task started in.
  withFakeDeno((dir, deno) => {
    const script = cellsBatchScript({ stage: 0, keys: KEYS, resources: RESOURCES }, {
      ...settingsIn(dir, deno),
      workspace: `${dir}/no-such-workspace`,
    });
    const run = bash(script, { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_JOB_ID: "41" });
    assert(run.code !== 0, run.stdout);
    assertEquals(run.stdout.includes("args="), false, run.stdout);
    assert(run.stderr.includes("no-such-workspace"), run.stderr);
  });
});
