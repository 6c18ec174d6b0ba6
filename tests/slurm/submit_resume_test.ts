/**
 * Re-submitting with scripts/slurm/submit.ts against stand-ins for sbatch, squeue and scancel
 * (tests/slurm/_fake_slurm.ts): which cells a re-submission leaves to the earlier one's live array
 * tasks (an off-by-one there runs a cell twice or skips one), which earlier arrays its stages wait
 * for, and that a failed re-submission removes its own files and keeps the earlier ones.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { calls, failReports, fakeSlurm, STAGES, submit } from "./_fake_slurm.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";

/** The cells' keys of each array of the submissions record, from the `from`-th array on. */
function submittedKeys(resultsDir: string, from: number): string[][] {
  const record = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`));
  return record.slice(from).map((submission: { keys: string[] }) => submission.keys);
}

/**
 * Submits the quick plan once into a fresh results folder with stand-ins made with `options`, then
 * runs `resubmit` with the stand-ins' folder and the results folder; removes both afterwards.
 */
function afterFirstSubmission(
  options: Parameters<typeof fakeSlurm>[0],
  resubmit: (slurm: string, resultsDir: string) => void,
): void {
  const slurm = fakeSlurm(options);
  const resultsDir = `${Deno.makeTempDirSync()}/results`;
  try {
    const first = submit(["--results", resultsDir], slurm);
    assertEquals(first.code, 0, first.stderr);
    resubmit(slurm, resultsDir);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("re-submission: arrays whose tasks have all ended hold nothing back and are waited for by nothing", () => {
  // sbatch --parsable on a federation prints "<id>;<cluster>": the job id is the part before ";".
  afterFirstSubmission({ cluster: "main" }, (slurm, resultsDir) => {
    assertStringIncludes(calls(slurm, "sbatch")[1], "--dependency=afterany:41 ");
    const record = JSON.parse(Deno.readTextFileSync(`${resultsDir}/slurm/submissions.json`));
    assertEquals(record.map((s: { cellsJob: string }) => s.cellsJob), ["41", "42", "43"]);
    // squeue lists no task of the first submission's arrays (they all ended, none finished its
    // cell): every cell is submitted again, task 0 included, and no stage waits for those arrays.
    // One cell's claim names batch job 57, not an array task, which squeue does not list either.
    const store = new ResultStore(cellsDirectory(resultsDir));
    const claim = { pid: 123, hostname: "node7", since: "then", job: "57" };
    Deno.writeTextFileSync(store.claimPathOf(STAGES[0][3]), JSON.stringify(claim));
    const second = submit(["--results", resultsDir], slurm);
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(
      second.stdout,
      `release the claim of ${STAGES[0][3]}: job 57 no longer runs`,
    );
    assertEquals(submittedKeys(resultsDir, 3), STAGES);
    const again = calls(slurm, "sbatch").slice(4);
    assertEquals(again[0].includes("dependency"), false);
    assertStringIncludes(again[1], "--dependency=afterany:45 ");
    assertStringIncludes(again[2], "--dependency=afterany:46 ");
  });
});

Deno.test("re-submission: a cell claimed by a live array task is left to it; a first array of a later stage waits for the earlier arrays", () => {
  afterFirstSubmission({}, (slurm, resultsDir) => {
    // Tasks 0 to 14 of every array (all of stage 1's) are still queued or running: stages 0 and 1
    // are left to them, and of stage 2 tasks 15 and 16 are not.
    const live = 15;
    assertEquals([STAGES[0].length, STAGES[1].length <= live, STAGES[2].length], [live, true, 17]);
    const tasks = (count: number) => Array.from({ length: count }, (_, t) => t).join("\n");
    Deno.writeTextFileSync(`${slurm}/squeue.out`, tasks(live));
    Deno.writeTextFileSync(`${slurm}/squeue-42.out`, tasks(STAGES[1].length));
    // Stage 2's task 15 cell is claimed by task 14 of array 99, which squeue lists: it runs there.
    const running = STAGES[2][15];
    const claim = { pid: 123, hostname: "node7", since: "then", job: "99_14" };
    const store = new ResultStore(cellsDirectory(resultsDir));
    Deno.writeTextFileSync(store.claimPathOf(running), JSON.stringify(claim));
    const second = submit(["--results", resultsDir], slurm);
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(second.stdout, `skip ${running}: running in job 99_14`);
    assertEquals(store.claimOf(running), claim, "the live task's claim is kept");
    assertEquals(submittedKeys(resultsDir, 3), [[STAGES[2][16]]]);
    // Its only array, of stage 2, needs the selections of the trials the earlier arrays still run.
    const again = calls(slurm, "sbatch").slice(4);
    assertStringIncludes(again[0], "--dependency=afterany:41:42:43 ");
    assertStringIncludes(second.stdout, "stage 2: job array 45 (1 tasks");
    // What it says: the plan's counts (the claimed cell is not a finished one), the stage's
    // wait for its selection, and every job to watch.
    const cells = STAGES.flat().length;
    assertStringIncludes(
      second.stdout,
      `quick plan: ${cells} cells, 0 finished, ${cells - 2} queued or running in earlier ` +
        `submissions, 1 to submit (results: ${resultsDir})`,
    );
    assertStringIncludes(second.stdout, "+ start-up + 10 min for its selection; see");
    assertStringIncludes(second.stdout, "watch: squeue -j 45,46\n");
  });
});

Deno.test("re-submission: a failed one removes its batch scripts and keeps the earlier submission's files", () => {
  afterFirstSubmission({}, (slurm, resultsDir) => {
    const slurmDir = `${resultsDir}/slurm`;
    const filesOf = () => [...Deno.readDirSync(slurmDir)].map((entry) => entry.name).sort();
    const before = filesOf();
    const record = Deno.readTextFileSync(`${slurmDir}/submissions.json`);
    failReports(slurm);
    const failed = submit(["--results", resultsDir], slurm);
    assertEquals(failed.code, 1);
    assertStringIncludes(failed.stderr, "Invalid account");
    assertEquals(calls(slurm, "scancel"), ["45 46 47"]);
    assertEquals(filesOf(), before);
    assertEquals(Deno.readTextFileSync(`${slurmDir}/submissions.json`), record);
    // A record that cannot be read stops the submission: read as none, every queued cell of the
    // earlier submission would be submitted again.
    Deno.writeTextFileSync(`${slurmDir}/submissions.json`, "[{");
    const unreadable = submit(["--results", resultsDir], slurm);
    assertEquals(unreadable.code, 1);
    assertStringIncludes(unreadable.stderr, `${slurmDir}/submissions.json: unreadable (`);
    assertEquals(calls(slurm, "sbatch").length, 4 + 4, "nothing more was submitted");
  });
});
