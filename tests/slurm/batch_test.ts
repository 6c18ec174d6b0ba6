import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import {
  cellsBatchScript,
  type ListedCell,
  MINIMUM_MINUTES,
  reportBatchScript,
  shellQuote,
  STARTUP_SECONDS,
  type SubmissionSettings,
  taskResources,
  TIME_SAFETY_FACTOR,
} from "../../scripts/slurm/batch.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.1]/seed=0",
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

Deno.test("shellQuote leaves plain words and quotes everything else for bash", () => {
  assertEquals(shellQuote("quick/MovieLens/Pop/seed=0"), "quick/MovieLens/Pop/seed=0");
  for (const value of KEYS) {
    assertEquals(bash(`printf %s ${shellQuote(value)}`, {}).stdout, value);
  }
});

Deno.test("taskResources: the slowest cell's estimate x the safety factor, plus start-up", () => {
  const cell = (seconds: number): ListedCell => ({
    index: 0,
    key: "k",
    estimatedSeconds: seconds,
    status: "pending",
  });
  const resources = taskResources([cell(10), cell(1440), cell(90)], "full", 2);
  assertEquals(
    resources.minutes,
    Math.ceil((1440 * TIME_SAFETY_FACTOR + STARTUP_SECONDS) / 60),
  );
  assertEquals(resources.cpus, 2);
  assertEquals(resources.memoryMb % 256, 0);
  assertEquals(taskResources([cell(1)], "quick", 1).minutes, MINIMUM_MINUTES);
});

Deno.test("taskResources: a cell that waits for its selection waits inside its time limit", () => {
  // A Demure seed of the full plan: its backbone's trials (650 s), then its own trials (1300 s),
  // then itself (1300 s): a task that asked only for its own 1300 s would be killed while waiting.
  const waiting: ListedCell = {
    index: 69,
    key: "full/MovieLens/Demure-GRU4Rec/seed=0",
    estimatedSeconds: 1300,
    waitSeconds: 1950,
    status: "pending",
  };
  const trial: ListedCell = { index: 56, key: "t", estimatedSeconds: 1300, status: "pending" };
  assertEquals(
    taskResources([trial, waiting], "full", 2).minutes,
    Math.ceil(((1950 + 1300) * TIME_SAFETY_FACTOR + STARTUP_SECONDS) / 60),
  );
});

Deno.test("the array script maps SLURM_ARRAY_TASK_ID to its cell and runs reproduce --cell", () => {
  const dir = Deno.makeTempDirSync();
  const script = cellsBatchScript(KEYS, settingsIn(dir, "/bin/echo"), {
    cpus: 2,
    memoryMb: 1536,
    minutes: 75,
  });
  assertStringIncludes(script, "#SBATCH --array=0-2%3\n");
  assertStringIncludes(script, "#SBATCH --time=01:15:00\n");
  assertStringIncludes(script, "#SBATCH --mem=1536M\n");
  assertStringIncludes(script, `#SBATCH --output=${dir}/results/slurm/logs/cell-%A_%a.log\n`);
  assertEquals(script.includes("--gres"), false);
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
  const gpu = cellsBatchScript(KEYS, {
    ...settingsIn(dir, "deno"),
    gpus: 1,
    backend: "tensorflow",
    partition: "gpu",
    account: "lab",
  }, {
    cpus: 2,
    memoryMb: 1536,
    minutes: 5,
  });
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
  const script = reportBatchScript(KEYS, settingsIn(dir, fake));
  assertStringIncludes(script, "#SBATCH --job-name=demure-report\n");
  const run = bash(script, { DEMURE_CELLS_JOB: "41" });
  assertEquals(run.code, 1, "a failed cell fails the report job");
  assertStringIncludes(run.stdout, "wrote report");
  assertStringIncludes(
    run.stdout,
    `failed cell: ${KEYS[2]} (log: ${dir}/results/slurm/logs/cell-41_2.log)`,
  );
  assertStringIncludes(run.stdout, "3 cells submitted, 1 failed");
  assertEquals(run.stdout.includes("quick/Other"), true, "the full missing list is printed");
  assertEquals(run.stdout.includes("failed cell: quick/Other"), false);
  // All finished: exit 0.
  Deno.writeTextFileSync(fake, `#!/bin/bash\necho "wrote report"\n`);
  assertEquals(bash(script, { DEMURE_CELLS_JOB: "41" }).code, 0);
  Deno.removeSync(dir, { recursive: true });
});
