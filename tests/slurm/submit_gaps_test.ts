/**
 * Behaviour of scripts/slurm/submit.ts that mutation rounds CI and JK found unpinned (stand-ins
 * for the Slurm commands: tests/slurm/_fake_slurm.ts): scancel is a required tool, a dry run asks
 * the scheduler nothing about claims, a claim names the one array task squeue must list (and one
 * live task makes its array one to wait for), a re-submission with nothing left submits nothing, a
 * failure of the first array cancels nothing and names its batch script, a claim by a process
 * that is no batch job is skipped, a relative --results is taken from where submit runs, and the
 * whole line of a refused Slurm name.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { calls, fakeSlurm, STAGES, submit } from "./_fake_slurm.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";

Deno.test("submit without scancel on PATH stops before writing: a failure could not cancel what it submitted", () => {
  const slurm = fakeSlurm();
  Deno.removeSync(`${slurm}/scancel`);
  const parent = Deno.makeTempDirSync();
  try {
    const run = submit(["--results", `${parent}/results`], slurm);
    assertEquals(run.code, 1, run.stderr);
    assertStringIncludes(run.stderr, "slurm: scancel not found on PATH");
    assertEquals(calls(slurm, "sbatch"), []);
    assertEquals([...Deno.readDirSync(parent)], []);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(parent, { recursive: true });
  }
});

Deno.test("submit --dry-run counts a batch job's claim as live without asking squeue", () => {
  // Only sbatch and scancel stand-ins: a dry run may run where squeue is not.
  const slurm = fakeSlurm();
  Deno.removeSync(`${slurm}/squeue`);
  const resultsDir = `${slurm}/results`;
  const claimed = STAGES[0][0];
  const store = new ResultStore(cellsDirectory(resultsDir));
  Deno.mkdirSync(cellsDirectory(resultsDir), { recursive: true });
  Deno.writeTextFileSync(
    store.claimPathOf(claimed),
    JSON.stringify({ pid: 123, hostname: "node7", since: "then", job: "41_3" }),
  );
  try {
    const run = submit(["--dry-run", "--results", resultsDir], slurm);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, `skip ${claimed}: running in job 41_3\n`);
    assertStringIncludes(run.stdout, `#SBATCH --array=0-${STAGES[0].length - 2}%16\n`);
    assertEquals(calls(slurm, "squeue"), []);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("a re-submission whose every cell an earlier array still runs submits nothing and keeps the record", () => {
  const slurm = fakeSlurm();
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  try {
    const first = submit(["--results", resultsDir], slurm);
    assertEquals(first.code, 0, first.stderr);
    const record = Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`);
    const most = Math.max(...STAGES.map((keys) => keys.length));
    Deno.writeTextFileSync(
      `${slurm}/squeue.out`,
      Array.from({ length: most }, (_, t) => t).join("\n"),
    );
    const second = submit(["--results", resultsDir], slurm);
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(second.stdout, "0 to submit");
    assertStringIncludes(second.stdout, "\nnothing to submit\n");
    assertEquals(calls(slurm, "sbatch").length, 4, "nothing more was submitted");
    assertEquals(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`), record);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a failed first array submission cancels nothing and leaves nothing behind", () => {
  const slurm = fakeSlurm();
  Deno.writeTextFileSync(
    `${slurm}/sbatch`,
    `#!/bin/bash\necho "$*" >> ${slurm}/sbatch.calls\necho "sbatch: error: Invalid partition" >&2\nexit 1\n`,
  );
  const parent = Deno.makeTempDirSync();
  try {
    const run = submit(["--results", `${parent}/results`], slurm);
    assertEquals(run.code, 1);
    assertStringIncludes(run.stderr, "Invalid partition");
    // The line names the batch script sbatch refused (found by mutation round JK, JK06).
    assertMatch(
      run.stderr,
      new RegExp(
        `sbatch ${parent}/results/slurm/cells-\\S+-stage0\\.sbatch failed: sbatch: error: Invalid partition`,
      ),
    );
    assertEquals(calls(slurm, "sbatch").length, 1);
    assertEquals(calls(slurm, "scancel"), []);
    assertEquals([...Deno.readDirSync(parent)], []);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(parent, { recursive: true });
  }
});

Deno.test("submit refuses a comma-separated --account (one account per job) and says a partition may be a list", () => {
  const dir = fakeSlurm();
  try {
    const cases: [string[], string][] = [
      [
        ["--account", "a,b"],
        'slurm: --account "a,b": a Slurm name (letters, digits, _ . + -); see --help\n',
      ],
      [
        ["--partition", "a;b"],
        'slurm: --partition "a;b": a Slurm name (letters, digits, _ . + -), or a ' +
        "comma-separated list of them; see --help\n",
      ],
    ];
    for (const [args, message] of cases) {
      const run = submit(["--dry-run", ...args], dir);
      assertEquals([run.code, run.stderr, run.stdout], [2, message, ""], args.join(" "));
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a claim by array task 41_<t> is live exactly when squeue lists task t of array 41", () => {
  const slurm = fakeSlurm();
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  try {
    const first = submit(["--results", resultsDir], slurm);
    assertEquals(first.code, 0, first.stderr);
    // Only task 4 of each array is still queued or running.
    Deno.writeTextFileSync(`${slurm}/squeue.out`, "4\n");
    const store = new ResultStore(cellsDirectory(resultsDir));
    const [live, ended] = [STAGES[0][6], STAGES[0][7]];
    const claim = (job: string) => ({ pid: 123, hostname: "node7", since: "then", job });
    Deno.writeTextFileSync(store.claimPathOf(live), JSON.stringify(claim("41_4")));
    Deno.writeTextFileSync(store.claimPathOf(ended), JSON.stringify(claim("41_5")));
    const second = submit(["--results", resultsDir], slurm);
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(second.stdout, `skip ${live}: running in job 41_4\n`);
    assertStringIncludes(second.stdout, `release the claim of ${ended}: job 41_5 no longer runs\n`);
    assertEquals(store.claimOf(live), claim("41_4"));
    assertEquals(store.claimOf(ended), undefined);
    // One live task is enough: stage 1 of this submission (job 46) also waits for the first
    // submission's arrays, whose one task each still runs (found by mutation round JK, JK02).
    assertStringIncludes(calls(slurm, "sbatch")[5], "--dependency=afterany:45:41:42:43 ");
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a cell claimed by a process that is no batch job is skipped by name and not submitted", () => {
  // Found by mutation round JK (JK07): a claim without a job (a run on a login node or a
  // workstation) is a live run Slurm cannot see; submitting the cell would run it twice.
  const slurm = fakeSlurm();
  const resultsDir = `${slurm}/results`;
  const claimed = STAGES[0][0];
  const store = new ResultStore(cellsDirectory(resultsDir));
  Deno.mkdirSync(cellsDirectory(resultsDir), { recursive: true });
  Deno.writeTextFileSync(
    store.claimPathOf(claimed),
    JSON.stringify({ pid: 123, hostname: "node7", since: "then" }),
  );
  try {
    const run = submit(["--dry-run", "--results", resultsDir], slurm);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(
      run.stdout,
      `skip ${claimed}: claimed by process 123 on node7 (not a batch job)\n`,
    );
    assertStringIncludes(run.stdout, `#SBATCH --array=0-${STAGES[0].length - 2}%16\n`);
    assertEquals(run.stdout.includes(shellQuote(claimed)), false, "not in the cells array");
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("a relative --results is the folder under where submit runs, not under the workspace", () => {
  // Found by mutation round JK (JK37): unresolved, the listing (run in the workspace) and the
  // batch scripts would use <workspace>/<path>, another folder than the one the user named.
  const slurm = fakeSlurm();
  const here = Deno.makeTempDirSync({ prefix: "submit_cwd_" });
  try {
    const script = new URL("../../scripts/slurm/submit.ts", import.meta.url).pathname;
    const output = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, "--quick", "--dry-run", "--results", "mine/quick"],
      cwd: here,
      env: { PATH: slurm },
    }).outputSync();
    const decoder = new TextDecoder();
    assertEquals(output.code, 0, decoder.decode(output.stderr));
    assertStringIncludes(decoder.decode(output.stdout), `(results: ${here}/mine/quick)\n`);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(here, { recursive: true });
  }
});
