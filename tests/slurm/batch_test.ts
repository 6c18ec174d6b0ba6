import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { bash, BATCH_KEYS as KEYS, settingsIn as batchSettingsIn } from "./_batch_settings.ts";
import {
  cellsBatchScript,
  reportBatchScript,
  type SubmissionSettings,
} from "../../scripts/slurm/batch.ts";
import { SELECTION_WAIT_SECONDS, type StageArray } from "../../scripts/cluster/stages.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const REPRODUCE_TASK = (JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> }).tasks.reproduce;

/** The batch settings of `reproduce`'s own permissions (the line each task runs is compared). */
function settingsIn(dir: string, deno: string): SubmissionSettings {
  return batchSettingsIn(dir, deno, taskPermissions(REPRODUCE_TASK, [`${dir}/results`]));
}

Deno.test("the array script maps SLURM_ARRAY_TASK_ID to its cell and runs reproduce --cell", () => {
  const dir = Deno.makeTempDirSync();
  const script = cellsBatchScript(
    { stage: 0, keys: KEYS, resources: { cpus: 2, memoryMb: 1536, minutes: 75 } },
    settingsIn(dir, "/bin/echo"),
  );
  assertStringIncludes(script, "#SBATCH --array=0-2%3\n");
  assertStringIncludes(script, "#SBATCH --time=01:15:00\n");
  assertStringIncludes(script, "#SBATCH --mem=1536M\n");
  assertStringIncludes(script, `#SBATCH --output=${dir}/results/slurm/logs/cell-%A_%a.log\n`);
  assertEquals(script.includes("--gres"), false);
  assertEquals(script.includes("DEMURE_SELECTION_WAIT_S"), false, "stage 0 waits for nothing");
  for (const [task, key] of KEYS.entries()) {
    const run = bash(script, {
      SLURM_ARRAY_TASK_ID: String(task),
      SLURM_ARRAY_JOB_ID: "41",
      SLURM_CPUS_PER_TASK: "2",
    });
    assertEquals(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assertEquals(lines[0].endsWith(`: ${key}`), true, lines[0]);
    const permissions = taskPermissions(REPRODUCE_TASK, [`${dir}/results`]).join(" ");
    assertEquals(
      lines[1],
      `run ${permissions} scripts/reproduce.ts --cell ${key} --results ${dir}/results --quick`,
    );
  }
  const gpu = cellsBatchScript(
    { stage: 2, keys: KEYS, resources: { cpus: 2, memoryMb: 1536, minutes: 5 } },
    {
      ...settingsIn(dir, "deno"),
      gpus: 1,
      backend: "tensorflow",
      partition: "gpu",
      account: "lab",
    },
  );
  assertStringIncludes(gpu, "#SBATCH --job-name=demure-cells-stage2\n");
  // Minutes below 10 are two digits too (mutation round FA, FA40).
  assertStringIncludes(gpu, "#SBATCH --time=00:05:00\n");
  assertStringIncludes(gpu, `export DEMURE_SELECTION_WAIT_S=${SELECTION_WAIT_SECONDS}\n`);
  assertStringIncludes(gpu, "#SBATCH --gres=gpu:1\n");
  assertStringIncludes(gpu, "#SBATCH --partition=gpu\n#SBATCH --account=lab\n");
  assertStringIncludes(gpu, "export DEMURE_BACKEND=tensorflow\n");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the report script names each submitted cell that did not finish, with its log", () => {
  const dir = Deno.makeTempDirSync();
  // A stand-in for deno: reproduce --report-only prints the missing cells of the plan, among them
  // one that this submission did not include.
  const fake = `${dir}/fake-deno`;
  Deno.writeTextFileSync(
    fake,
    `#!/bin/bash\necho "wrote report"\nprintf 'missing\\t7\\t%s\\n' ${shellQuote(KEYS[2])} ` +
      `'quick/Other/seed=0'\n`,
  );
  Deno.chmodSync(fake, 0o755);
  // Two stages: KEYS[0] and KEYS[1] are tasks 0 and 1 of array 41, KEYS[2] task 0 of array 43.
  const resources = { cpus: 1, memoryMb: 1024, minutes: 10 };
  const arrays: StageArray[] = [
    { stage: 0, keys: KEYS.slice(0, 2), resources },
    { stage: 1, keys: KEYS.slice(2), resources },
  ];
  const script = reportBatchScript(arrays, settingsIn(dir, fake));
  assertStringIncludes(script, "#SBATCH --job-name=demure-report\n");
  assertStringIncludes(script, `#SBATCH --output=${dir}/results/slurm/logs/report-%j.log\n`);
  // The failed cell's task ran: its log is there.
  Deno.mkdirSync(`${dir}/results/slurm/logs`, { recursive: true });
  Deno.writeTextFileSync(`${dir}/results/slurm/logs/cell-43_0.log`, "");
  const run = bash(script, { DEMURE_CELLS_JOBS: "41:43" });
  assertEquals(run.code, 1, "a failed cell fails the report job");
  assertStringIncludes(run.stdout, "wrote report");
  assertStringIncludes(
    run.stdout,
    `failed cell: ${KEYS[2]} (log: ${dir}/results/slurm/logs/cell-43_0.log)`,
  );
  assertStringIncludes(run.stdout, "3 cells submitted, 1 failed");
  assertEquals(run.stdout.includes("quick/Other"), true, "the full missing list is printed");
  assertEquals(run.stdout.includes("failed cell: quick/Other"), false);
  // All finished: exit 0.
  Deno.writeTextFileSync(fake, `#!/bin/bash\necho "wrote report"\n`);
  assertEquals(bash(script, { DEMURE_CELLS_JOBS: "41:43" }).code, 0);
  // The report itself failed: the job fails with its status, and no "0 failed" reads as success.
  Deno.writeTextFileSync(fake, `#!/bin/bash\necho "reproduce: boom" >&2\nexit 3\n`);
  const broken = bash(script, { DEMURE_CELLS_JOBS: "41:43" });
  assertEquals(broken.code, 3);
  assertStringIncludes(broken.stdout, "reproduce: boom");
  assertEquals(broken.stdout.includes("cells submitted"), false, broken.stdout);
  Deno.removeSync(dir, { recursive: true });
});

/**
 * A stand-in for deno at `path` that prints where it ran, the environment a task sets and its
 * arguments (one line each).
 */
function fakeDeno(path: string): string {
  Deno.writeTextFileSync(
    path,
    "#!/bin/bash\n" +
      'echo "cwd=$(pwd)"\n' +
      'echo "threads=${DEMURE_BLAS_THREADS-unset} wait=${DEMURE_SELECTION_WAIT_S-unset}"\n' +
      'echo "args=$*"\n',
  );
  Deno.chmodSync(path, 0o755);
  return path;
}

// Mutation round FA (FA03, FA04, FA05, FA06, FA07, FA08): none of these was read by a test.
Deno.test("the array script: the cpus it asks for are its BLAS threads, a stage after the first waits, the workspace is quoted", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const workspace = `${dir}/it's a workspace`;
    Deno.mkdirSync(workspace);
    const settings = { ...settingsIn(dir, fakeDeno(`${dir}/fake-deno`)), workspace };
    const resources = { cpus: 3, memoryMb: 1024, minutes: 10 };
    assertThrows(
      () => cellsBatchScript({ stage: 0, keys: [], resources }, settings),
      Error,
      "no cells to submit",
    );
    // Where Slurm does not set SLURM_CPUS_PER_TASK, the task's cpus are its BLAS threads.
    const unset = "unset SLURM_CPUS_PER_TASK DEMURE_SELECTION_WAIT_S DEMURE_BLAS_THREADS\n";
    for (const stage of [0, 1]) {
      const script = cellsBatchScript({ stage, keys: KEYS, resources }, settings);
      assertStringIncludes(script, "#SBATCH --cpus-per-task=3\n");
      const run = bash(unset + script, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_JOB_ID: "41" });
      assertEquals(run.code, 0, run.stderr);
      const lines = run.stdout.trim().split("\n");
      assertEquals(lines[1], `cwd=${workspace}`);
      const wait = stage === 0 ? "unset" : String(SELECTION_WAIT_SECONDS);
      assertEquals(lines[2], `threads=3 wait=${wait}`, `stage ${stage}`);
      assert(lines[3].startsWith("args=run "), lines[3]);
      assert(lines[3].includes(` --cell ${KEYS[1]} --results `), lines[3]);
    }
    // A task id past the last cell fails rather than running reproduce with an empty --cell.
    const script = cellsBatchScript({ stage: 0, keys: KEYS, resources }, settings);
    const past = bash(unset + script, { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_JOB_ID: "41" });
    assert(past.code !== 0, past.stdout);
    assertEquals(past.stdout.includes("args="), false, past.stdout);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// Mutation round FA (FA02, FA09, FA10, FA15): none of these was read by a test.
Deno.test("the report script: runs reproduce --report-only, needs the array job ids, asks for the submission's partition and account", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const resources = { cpus: 1, memoryMb: 1024, minutes: 10 };
    const arrays: StageArray[] = [{ stage: 0, keys: KEYS, resources }];
    const settings = settingsIn(dir, fakeDeno(`${dir}/fake-deno`));
    const script = reportBatchScript(arrays, { ...settings, partition: "cpu", account: "lab" });
    assertStringIncludes(
      script,
      "#SBATCH --cpus-per-task=1\n#SBATCH --mem=2048M\n#SBATCH --time=00:30:00\n",
    );
    assertStringIncludes(script, "#SBATCH --partition=cpu\n#SBATCH --account=lab\n");
    const run = bash(script, { DEMURE_CELLS_JOBS: "41" });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(
      run.stdout,
      `args=run ${settings.permissions.join(" ")} scripts/reproduce.ts --report-only ` +
        `--results ${dir}/results --quick\n`,
    );
    // Without the job ids it could not name the logs: it fails before reproduce runs.
    const noJobs = bash("unset DEMURE_CELLS_JOBS\n" + script, {});
    assert(noJobs.code !== 0, noJobs.stdout);
    assertStringIncludes(noJobs.stderr, "DEMURE_CELLS_JOBS");
    assertEquals(noJobs.stdout.includes("args="), false, noJobs.stdout);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
