/**
 * scripts/slurm/submit.ts against stand-ins for sbatch, squeue and scancel (shell scripts that log
 * their arguments): what it submits, what a re-submission leaves out, and that bad input and a
 * failed submission leave nothing behind. scripts/slurm/test_local_cluster.sh runs it on a real Slurm.
 */
import { storedCellResult } from "../experiments/_cell_result.ts";
import { assertEquals, assertStringIncludes } from "@std/assert";
import { calls, fakeSlurm, QUICK_CELLS, STAGES, submit } from "./_fake_slurm.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";

Deno.test("submit without sbatch on PATH stops with a clear error and writes nothing", () => {
  const parent = Deno.makeTempDirSync();
  const run = submit(["--results", `${parent}/results`], parent);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "slurm: sbatch not found on PATH");
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("submit --dry-run prints every stage's batch script and the report's, writes nothing", () => {
  const parent = Deno.makeTempDirSync();
  const run = submit(["--dry-run", "--results", `${parent}/results`, "--concurrency", "4"], parent);
  assertEquals(run.code, 0, run.stderr);
  const stages = STAGES.map((keys) => keys.length);
  for (const [stage, count] of stages.entries()) {
    assertStringIncludes(run.stdout, `#SBATCH --job-name=demure-cells-stage${stage}\n`);
    assertStringIncludes(run.stdout, `#SBATCH --array=0-${count - 1}%4\n`);
  }
  assertEquals(stages.reduce((a, b) => a + b), QUICK_CELLS.length);
  assertStringIncludes(run.stdout, "#SBATCH --job-name=demure-report");
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("submit sends one array per stage, each after the last, and a report after all; a re-submission sends only the rest", () => {
  const slurm = fakeSlurm();
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  const first = submit(["--results", resultsDir], slurm);
  assertEquals(first.code, 0, first.stderr);
  assertStringIncludes(first.stdout, "submitted 3 job array(s)");
  // It says where the report will be, and how to view it, not only where the logs go.
  assertStringIncludes(
    first.stdout,
    `\nreport: ${resultsDir}/summary.md and ${resultsDir}/report.html (open it in a browser), ` +
      `written by report job 44 (log: ${resultsDir}/slurm/logs/report-44.log)\n`,
  );
  const sbatch = calls(slurm, "sbatch");
  assertEquals(sbatch.length, 4);
  assertStringIncludes(sbatch[0], `--parsable ${resultsDir}/slurm/cells-`);
  assertEquals(sbatch[0].includes("dependency"), false, "stage 0 waits for nothing");
  assertStringIncludes(sbatch[1], "--dependency=afterany:41 ");
  assertStringIncludes(sbatch[2], "--dependency=afterany:42 ");
  assertStringIncludes(
    sbatch[3],
    "--dependency=afterany:41:42:43 --export=ALL,DEMURE_CELLS_JOBS=41:42:43",
  );
  const submissions = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`));
  assertEquals(
    submissions.map((s: { cellsJob: string; reportJob: string; stage: number; keys: string[] }) => [
      s.cellsJob,
      s.reportJob,
      s.stage,
      s.keys,
    ]),
    STAGES.map((keys, stage) => [String(41 + stage), "44", stage, keys]),
  );
  assertEquals(Deno.statSync(`${resultsDir}/slurm/logs`).isDirectory, true);

  // Tasks 0 and 1 of every array are still queued (the stand-in squeue lists them for any job);
  // of the rest of stage 0, one cell finished, one's task was killed (its claim names job 41_3,
  // which squeue no longer lists), one is held by a local process elsewhere.
  Deno.writeTextFileSync(`${slurm}/squeue.out`, "0\n1\n");
  const queued = STAGES.flatMap((keys) => keys.slice(0, 2));
  const [finished, killed, local] = STAGES[0].slice(2, 5).map((key) =>
    QUICK_CELLS.find((c) => c.key === key)!
  );
  const store = new ResultStore(cellsDirectory(resultsDir));
  store.put(finished.key, settingsOf(planExperiments("quick"), finished), storedCellResult());
  const stale = { pid: 123, hostname: "node7", since: "then", job: "41_3" };
  Deno.writeTextFileSync(store.claimPathOf(killed.key), JSON.stringify(stale));
  Deno.writeTextFileSync(
    store.claimPathOf(local.key),
    JSON.stringify({ pid: 1, hostname: "laptop", since: "now" }),
  );
  const second = submit(["--results", resultsDir], slurm);
  assertEquals(second.code, 0, second.stderr);
  assertStringIncludes(second.stdout, `skip ${local.key}: claimed by process 1 on laptop`);
  assertStringIncludes(second.stdout, `release the claim of ${killed.key}`);
  const resubmitted = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`))
    .slice(3);
  const left = new Set([...queued, finished.key, local.key]);
  assertEquals(
    resubmitted.map((s: { keys: string[] }) => s.keys),
    STAGES.map((keys) => keys.filter((key) => !left.has(key))),
  );
  // Its later stages also wait for the arrays of the first submission, which still run.
  const again = calls(slurm, "sbatch").slice(4);
  assertEquals(again[0].includes("dependency"), false);
  assertStringIncludes(again[1], "--dependency=afterany:45:41:42:43 ");
  assertEquals(store.claimOf(killed.key), undefined);
  Deno.removeSync(slurm, { recursive: true });
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("a failed report submission cancels the arrays and leaves nothing behind", () => {
  const slurm = fakeSlurm({ reportFails: true });
  const parent = Deno.makeTempDirSync();
  const run = submit(["--results", `${parent}/results`], slurm);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "Invalid account");
  assertEquals(calls(slurm, "scancel"), ["41 42 43"]);
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(slurm, { recursive: true });
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("a failed submission removes the logs folder it made in a Slurm folder that was there", () => {
  // Only the results folder and its slurm/ were looked at: an empty slurm/logs/ stayed.
  const slurm = fakeSlurm({ reportFails: true });
  const parent = Deno.makeTempDirSync();
  Deno.mkdirSync(`${parent}/results/slurm`, { recursive: true });
  Deno.writeTextFileSync(`${parent}/results/slurm/kept.txt`, "");
  const run = submit(["--results", `${parent}/results`], slurm);
  assertEquals(run.code, 1, run.stderr);
  assertEquals([...Deno.readDirSync(`${parent}/results/slurm`)].map((entry) => entry.name), [
    "kept.txt",
  ]);
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

Deno.test("submit --seeds=-1 shows reproduce's range of the seeds; the seeds reach every call as one word", () => {
  const slurm = fakeSlurm();
  const run = submit(["--dry-run", "--seeds=-1", "--results", `${slurm}/results`], slurm);
  // The seeds used to reach reproduce as "--seeds -1", which it took for an option: "argument is
  // ambiguous (a value starting with a dash: --name=-1)", what the user had written.
  assertEquals([run.code, run.stdout], [1, ""]);
  assertEquals(
    run.stderr,
    "slurm: reproduce: --seeds -1: -1 is outside 0..2147483647; allowed: distinct integers in " +
      "0..2^31-1, comma-separated; see --help\n",
  );
  const seeded = submit(["--dry-run", "--seeds", "1", "--results", `${slurm}/results`], slurm);
  assertEquals(seeded.code, 0, seeded.stderr);
  assertStringIncludes(seeded.stdout, " --quick --seeds=1");
  Deno.removeSync(slurm, { recursive: true });
});

Deno.test("submit refuses bad settings with one line before listing or writing anything", () => {
  const dir = fakeSlurm();
  const cases: [string[], string][] = [
    [["--concurrency", "1e6"], "slurm: --concurrency 1e6: must be an integer in 1..10000"],
    [["--cpus", "999"], "slurm: --cpus 999: must be an integer in 1..256"],
    [["--backend", "cuda"], "slurm: --backend cuda: must be one of tensorflow, webgpu, wasm, cpu"],
    // Each task held a GPU its backend never used.
    [
      ["--gpu", "--backend", "wasm"],
      "slurm: --gpu with --backend wasm: wasm and cpu run on the CPU",
    ],
    // Without a backend each task picked its own on its node: wasm without tfjs-node-gpu.
    // The line ends in what to add.
    [
      ["--gpu"],
      "slurm: --gpu without --backend: each task would pick its backend on its node, wasm where " +
      "tfjs-node-gpu is not installed, and hold its GPU idle; add --backend tensorflow or webgpu; " +
      "see --help",
    ],
    // Written into an #SBATCH line, a newline would have added a directive of its own.
    [["--account", "lab\n#SBATCH --mem=1"], "slurm: --account"],
    [["--partition", "a b"], 'slurm: --partition "a b": a Slurm name'],
    // It names the options there are, so the spelling meant is on the line.
    [
      ["--bogus"],
      "slurm: Unknown option '--bogus' (options: --results, --quick, --seeds, --cpus, --gpu, " +
      "--backend, --minutes, --memory-mb, --help/-h, --partition, --account, --concurrency, " +
      "--deno, --dry-run); see --help",
    ],
    [["--cpus", "1", "--cpus", "2"], "slurm: --cpus given twice: give it once; see --help"],
    [["--partition="], "slurm: --partition: an empty value; see --help"],
    // A word before -- went to reproduce with the flags after it, which refused it: status 1.
    [
      ["oops", "--", "--quick"],
      'slurm: unexpected argument "oops" (the command takes options; words for reproduce go ' +
      "after --); see --help",
    ],
    [["--partition", "cpu", "oops"], 'slurm: unexpected argument "oops"'],
    [["--minutes", "0"], "slurm: --minutes 0: must be an integer in 1..43200"],
    [["--memory-mb", "1.5e3"], "slurm: --memory-mb 1.5e3: must be an integer in 1..1048576"],
  ];
  for (const [args, message] of cases) {
    const run = submit(["--dry-run", ...args], dir);
    // A mistake in the command line: status 2 (a failure to submit is 1).
    assertEquals(run.code, 2, args.join(" "));
    assertStringIncludes(run.stderr, message);
    assertEquals(run.stdout, "", args.join(" "));
  }
  // A partition list is a Slurm name too.
  const list = submit(["--dry-run", "--partition", "cpu,gpu", "--results", `${dir}/results`], dir);
  assertEquals(list.code, 0, list.stderr);
  assertStringIncludes(list.stdout, "#SBATCH --partition=cpu,gpu");
  // An imported dataset's cells have no measured time or memory: both must be given.
  const byo = ["--", "--dataset", "tests/fixtures/byo/tiny", "--format", "recbole"];
  const unmeasured = submit(
    ["--dry-run", "--results", `${dir}/byo`, "--minutes", "30", ...byo],
    dir,
  );
  assertEquals(unmeasured.code, 2, unmeasured.stderr);
  assertStringIncludes(
    unmeasured.stderr,
    "an imported dataset (--dataset): give --minutes and --memory-mb",
  );
  assertEquals(unmeasured.stdout, "");
  const measured = submit([
    "--dry-run",
    "--results",
    `${dir}/byo`,
    "--minutes",
    "45",
    "--memory-mb",
    "3000",
    ...byo,
  ], dir);
  assertEquals(measured.code, 0, measured.stderr);
  assertStringIncludes(measured.stdout, "#SBATCH --time=00:45:00\n");
  assertStringIncludes(measured.stdout, "#SBATCH --mem=3000M\n");
  // The printed requests say they are the given ones, not the estimate's rule.
  assertStringIncludes(
    measured.stdout,
    "each task requests 2 CPUs, 3000 MB, 45 min (--minutes as given; --memory-mb as given; see ",
  );
  // A --deno that is not there is named as such (not as missing from PATH).
  const noDeno = submit(["--dry-run", "--deno", `${dir}/no/deno`, "--results", `${dir}/r`], dir);
  assertEquals([noDeno.code, noDeno.stderr], [1, `slurm: ${dir}/no/deno: no such program\n`]);
  const help = submit(["--help"], dir);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: deno task slurm");
});
