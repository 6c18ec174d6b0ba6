import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import {
  cellsBatchScript,
  reportBatchScript,
  type SubmissionSettings,
} from "../../scripts/slurm/batch.ts";
import { SELECTION_WAIT_SECONDS, type StageArray } from "../../scripts/cluster/stages.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  "quick/MovieLens/it's/seed=1",
];

const REPRODUCE_TASK = (JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> }).tasks.reproduce;

function settingsIn(dir: string, deno: string): SubmissionSettings {
  return {
    workspace: dir,
    resultsDir: `${dir}/results`,
    logDir: `${dir}/results/slurm/logs`,
    deno,
    permissions: taskPermissions(REPRODUCE_TASK, [`${dir}/results`]),
    planArgs: ["--quick"],
    concurrency: 3,
    gpus: 0,
  };
}

function bash(script: string, env: Record<string, string>) {
  return runCaptured("bash", ["-c", script], env);
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
