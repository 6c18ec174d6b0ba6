/**
 * The Slurm batch scripts (scripts/slurm/batch.ts), third mutation pass (round OF): the report
 * job's log path with shell-special characters, its count of several failed cells, its working
 * folder, its output printed as is, and a task's GPU count. Run through bash with a stand-in deno.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { reportBatchScript, type SubmissionSettings } from "../../scripts/slurm/batch.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";

const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  "quick/MovieLens/it's/seed=1",
];
const RESOURCES = { cpus: 1, memoryMb: 1024, minutes: 10 };

function settingsIn(dir: string, deno: string): SubmissionSettings {
  return {
    workspace: dir,
    resultsDir: `${dir}/results`,
    logDir: `${dir}/results/slurm/logs`,
    deno,
    permissions: [`--allow-read=${dir}`],
    planArgs: ["--quick"],
    concurrency: 3,
    gpus: 0,
  };
}

/** A stand-in deno that prints its folder, then `output` as written (printf %s). */
function fakeDeno(path: string, output: string): string {
  Deno.writeTextFileSync(
    path,
    `#!/bin/bash\necho "cwd=$(pwd)"\nprintf %s ${shellQuote(output)}\n`,
  );
  Deno.chmodSync(path, 0o755);
  return path;
}

function bash(script: string, env: Record<string, string>) {
  return runCaptured("bash", ["-c", script], env);
}

function inTemp(body: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "batch_gaps_" });
  try {
    body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const missingLines = (keys: string[]) => keys.map((key) => `missing\t7\t${key}\n`).join("");

Deno.test("report script: a log folder with $, quotes and a backquote is named as written", () => {
  // Found by mutation round OF (reading batch.ts:111): the log folder went into the double-quoted
  // "failed cell" line unquoted, so `$x` expanded (under `set -u` an unset one killed the job
  // before it named any failed cell) and a `"` ended the string. submit.ts refuses only white
  // space and commas in the results folder.
  inTemp((dir) => {
    const deno = fakeDeno(`${dir}/fake-deno`, missingLines([KEYS[1]]));
    for (const logDir of [`${dir}/r$x/logs`, `${dir}/say "hi"/logs`, `${dir}/a\`id\`b/logs`]) {
      const script = reportBatchScript([{ stage: 0, keys: KEYS, resources: RESOURCES }], {
        ...settingsIn(dir, deno),
        logDir,
      });
      const run = bash(script, { DEMURE_CELLS_JOBS: "41" });
      assertEquals(run.code, 1, run.stderr);
      assertStringIncludes(run.stdout, `failed cell: ${KEYS[1]} (log: ${logDir}/cell-41_1.log)\n`);
      assertStringIncludes(run.stdout, "3 cells submitted, 1 failed\n");
    }
  });
});
