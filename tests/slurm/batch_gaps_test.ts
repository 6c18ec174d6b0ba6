/**
 * The Slurm batch scripts (scripts/slurm/batch.ts), third mutation pass (round OF): the report
 * job's log path with shell-special characters, its count of several failed cells, its working
 * folder, its output printed as is, and a task's GPU count. Run through bash with a stand-in deno.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { bash, BATCH_KEYS as KEYS, settingsIn } from "./_batch_settings.ts";
import { cellsBatchScript, reportBatchScript } from "../../scripts/slurm/batch.ts";
import type { StageArray } from "../../scripts/cluster/stages.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";

const RESOURCES = { cpus: 1, memoryMb: 1024, minutes: 10 };

/** A stand-in deno that prints its folder, then `output` as written (printf %s). */
function fakeDeno(path: string, output: string): string {
  Deno.writeTextFileSync(
    path,
    `#!/bin/bash\necho "cwd=$(pwd)"\nprintf %s ${shellQuote(output)}\n`,
  );
  Deno.chmodSync(path, 0o755);
  return path;
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
      assertStringIncludes(
        run.stdout,
        `failed cell: ${KEYS[1]} (its task never started: no log ${logDir}/cell-41_1.log)\n`,
      );
      assertStringIncludes(run.stdout, "3 cells submitted, 1 failed\n");
    }
  });
});

Deno.test("report script: several failed cells are each named and all counted", () => {
  // Found by mutation round OF (OF02): `failed=1` instead of counting read "1 failed" for three.
  inTemp((dir) => {
    const deno = fakeDeno(`${dir}/fake-deno`, "wrote report\n" + missingLines(KEYS));
    const arrays: StageArray[] = [
      { stage: 0, keys: KEYS.slice(0, 2), resources: RESOURCES },
      { stage: 1, keys: KEYS.slice(2), resources: RESOURCES },
    ];
    // Two tasks ran and wrote their logs; the third was cancelled before it started (scancel of
    // a pending task), which writes none: its line said "log: PATH" of a file not there.
    const logs = `${dir}/results/slurm/logs`;
    Deno.mkdirSync(logs, { recursive: true });
    for (const task of ["41_0", "43_0"]) Deno.writeTextFileSync(`${logs}/cell-${task}.log`, "");
    const run = bash(reportBatchScript(arrays, settingsIn(dir, deno)), {
      DEMURE_CELLS_JOBS: "41:43",
    });
    assertEquals(run.code, 1, run.stderr);
    assertEquals(run.stdout.split("\n").filter((line) => line.startsWith("failed cell: ")), [
      `failed cell: ${KEYS[0]} (log: ${logs}/cell-41_0.log)`,
      `failed cell: ${KEYS[1]} (its task never started: no log ${logs}/cell-41_1.log)`,
      `failed cell: ${KEYS[2]} (log: ${logs}/cell-43_0.log)`,
    ]);
    // The log ends in what to do next: re-submitting is resuming.
    assert(
      run.stdout.endsWith(
        "3 cells submitted, 3 failed\nto run them: the same deno task slurm command again " +
          "(finished cells are left out, the rest resume from their last epoch checkpoint; " +
          "docs/scale.md)\n",
      ),
      run.stdout,
    );
  });
});

Deno.test("report script: reproduce runs in the workspace, quoted; its output is printed line by line, as written", () => {
  // Found by mutation round OF (OF03, OF04, OF05): the report job's `cd` (dropped, or the
  // workspace left unquoted) and its `printf "%s\n" "$output"` (an `echo $output` joined the
  // lines and globbed a `*`) were read by no test; FA07 pinned only the array script's `cd`.
  inTemp((dir) => {
    const workspace = `${dir}/it's a $workspace`;
    Deno.mkdirSync(workspace);
    const output = "wrote report\n  cells: results/*/cells\n" +
      missingLines(["quick/Other/seed=0"]);
    const deno = fakeDeno(`${dir}/fake-deno`, output);
    const script = reportBatchScript([{ stage: 0, keys: KEYS, resources: RESOURCES }], {
      ...settingsIn(dir, deno),
      workspace,
    });
    const run = bash(script, { DEMURE_CELLS_JOBS: "41" });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout, `cwd=${workspace}\n${output}3 cells submitted, 0 failed\n`);
  });
});

Deno.test("array script: a task asks for the submission's GPU count, not always one", () => {
  // Found by mutation round OF (OF01): only gpus 1 was tried.
  inTemp((dir) => {
    const script = cellsBatchScript({ stage: 0, keys: KEYS, resources: RESOURCES }, {
      ...settingsIn(dir, "deno"),
      gpus: 2,
    });
    assertStringIncludes(script, "\n#SBATCH --gres=gpu:2\n");
  });
});

Deno.test("array script: without a Slurm task id it fails before reproduce; reproduce replaces the shell", () => {
  // Mutation round OF (OF42; OF43, a default task id, is equivalent: the echo line reads the id
  // under `set -u` too, and this pins that a script run outside Slurm runs no cell). `exec`: a
  // signal Slurm sends to the batch shell alone (scancel --batch, --signal=B:...) must reach
  // reproduce itself, which then releases its claim.
  inTemp((dir) => {
    const deno = fakeDeno(`${dir}/fake-deno`, "ran\n");
    const script = cellsBatchScript(
      { stage: 0, keys: KEYS, resources: RESOURCES },
      settingsIn(dir, deno),
    );
    const run = bash("unset SLURM_ARRAY_TASK_ID\n" + script, { SLURM_ARRAY_JOB_ID: "41" });
    assertEquals(run.code === 0, false, run.stdout);
    assertEquals(run.stdout.includes("ran"), false, run.stdout);
    assertStringIncludes(run.stderr, "SLURM_ARRAY_TASK_ID");
    const last = script.trimEnd().split("\n").at(-1) ?? "";
    assertEquals(last.startsWith(`exec ${deno} run `), true, last);
  });
});
