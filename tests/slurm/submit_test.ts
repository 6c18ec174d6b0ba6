/**
 * scripts/slurm/submit.ts against stand-ins for sbatch, squeue and scancel (shell scripts that log
 * their arguments): what it submits, what a re-submission leaves out, and that bad input and a
 * failed submission leave nothing behind. scripts/slurm/test_local_cluster.sh runs it on a real Slurm.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/run_plan.ts";

const QUICK_CELLS = planExperiments("quick").cells;

/** A folder of stand-in Slurm commands; `squeue` prints `$dir/squeue.out` when it exists. */
function fakeSlurm(options: { reportFails?: boolean } = {}): string {
  const dir = Deno.makeTempDirSync();
  const tool = (name: string, body: string) => {
    Deno.writeTextFileSync(
      `${dir}/${name}`,
      `#!/bin/bash\necho "$*" >> ${dir}/${name}.calls\n${body}\n`,
    );
    Deno.chmodSync(`${dir}/${name}`, 0o755);
  };
  tool(
    "sbatch",
    options.reportFails
      ? `if [[ $* == *dependency* ]]; then echo "sbatch: error: Invalid account" >&2; exit 1; fi\necho 41`
      : `if [[ $* == *dependency* ]]; then echo 42; else echo 41; fi`,
  );
  tool("squeue", `[[ -f ${dir}/squeue.out ]] && printf "%s\\n" "$(<${dir}/squeue.out)"; true`);
  tool("scancel", "true");
  return dir;
}

function submit(args: string[], path: string) {
  return runCaptured(
    Deno.execPath(),
    ["run", "-A", "scripts/slurm/submit.ts", "--quick", ...args],
    { PATH: path },
  );
}

function calls(dir: string, tool: string): string[] {
  try {
    return Deno.readTextFileSync(`${dir}/${tool}.calls`).trim().split("\n");
  } catch {
    return [];
  }
}

Deno.test("submit without sbatch on PATH stops with a clear error and writes nothing", () => {
  const parent = Deno.makeTempDirSync();
  const run = submit(["--results", `${parent}/results`], parent);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "slurm: sbatch not found on PATH");
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("submit --dry-run prints both batch scripts and writes nothing", () => {
  const parent = Deno.makeTempDirSync();
  const run = submit(["--dry-run", "--results", `${parent}/results`, "--concurrency", "4"], parent);
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, `#SBATCH --array=0-${QUICK_CELLS.length - 1}%4`);
  assertStringIncludes(run.stdout, "#SBATCH --job-name=demure-report");
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("submit sends the array and a dependent report job; a re-submission sends only the rest", () => {
  const slurm = fakeSlurm();
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  const first = submit(["--results", resultsDir], slurm);
  assertEquals(first.code, 0, first.stderr);
  assertStringIncludes(first.stdout, "submitted job array 41");
  const [cellsCall, reportCall] = calls(slurm, "sbatch");
  assertStringIncludes(cellsCall, `--parsable ${resultsDir}/slurm/cells-`);
  assertStringIncludes(reportCall, "--dependency=afterany:41 --export=ALL,DEMURE_CELLS_JOB=41");
  const submissions = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`));
  assertEquals(submissions[0].keys, QUICK_CELLS.map((c) => c.key));
  assertEquals(Deno.statSync(`${resultsDir}/slurm/logs`).isDirectory, true);

  // Tasks 0 and 1 of job 41 are still queued; cell 2 finished; cell 3's task was killed (its claim
  // names job 41_3, which squeue no longer lists); cell 4 is held by a local process elsewhere.
  Deno.writeTextFileSync(`${slurm}/squeue.out`, "0\n1\n");
  const store = new ResultStore(cellsDirectory(resultsDir));
  const plan = planExperiments("quick");
  store.put(QUICK_CELLS[2].key, settingsOf(plan, QUICK_CELLS[2]), { test: {} });
  const stale = { pid: 123, hostname: "node7", since: "then", job: "41_3" };
  Deno.writeTextFileSync(store.claimPathOf(QUICK_CELLS[3].key), JSON.stringify(stale));
  Deno.writeTextFileSync(
    store.claimPathOf(QUICK_CELLS[4].key),
    JSON.stringify({ pid: 1, hostname: "laptop", since: "now" }),
  );
  const second = submit(["--results", resultsDir], slurm);
  assertEquals(second.code, 0, second.stderr);
  assertStringIncludes(second.stdout, `skip ${QUICK_CELLS[4].key}: claimed by process 1 on laptop`);
  assertStringIncludes(second.stdout, `release the claim of ${QUICK_CELLS[3].key}`);
  const resubmitted = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`))[1];
  assertEquals(
    resubmitted.keys,
    QUICK_CELLS.filter((_, i) => ![0, 1, 2, 4].includes(i)).map((c) => c.key),
  );
  assertEquals(store.claimOf(QUICK_CELLS[3].key), undefined);
  Deno.removeSync(slurm, { recursive: true });
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("a failed report submission cancels the array and leaves nothing behind", () => {
  const slurm = fakeSlurm({ reportFails: true });
  const parent = Deno.makeTempDirSync();
  const run = submit(["--results", `${parent}/results`], slurm);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "Invalid account");
  assertEquals(calls(slurm, "scancel"), ["41"]);
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(slurm, { recursive: true });
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("submit refuses a results folder of another plan before writing", () => {
  const slurm = fakeSlurm();
  const resultsDir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${resultsDir}/plan.json`, JSON.stringify({ mode: "full", seeds: [0] }));
  const run = submit(["--results", resultsDir], slurm);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, `plan.json: field "mode" is "full"`);
  assertEquals(calls(slurm, "sbatch"), []);
  assertEquals([...Deno.readDirSync(resultsDir)].map((e) => e.name), ["plan.json"]);
  Deno.removeSync(slurm, { recursive: true });
  Deno.removeSync(resultsDir, { recursive: true });
});
