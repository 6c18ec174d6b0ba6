/**
 * Third-pass gaps of scripts/slurm/submit.ts (mutation round LH), against the stand-in Slurm
 * commands of tests/slurm/_fake_slurm.ts: --gpu, --backend and --account reach the batch scripts,
 * a results folder with a tab is refused by name, the plan's own results folder is the
 * workspace's wherever submit runs, and a failed submission into an existing results folder
 * removes the Slurm folder it made and nothing else.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { calls, fakeSlurm, STAGES, submit } from "./_fake_slurm.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";

const workspace = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("submit writes --gpu, --backend, --partition and --account into each stage's batch script (LH11-LH13)", () => {
  const slurm = fakeSlurm();
  try {
    const run = submit([
      "--dry-run",
      "--results",
      `${slurm}/results`,
      "--gpu",
      "--backend",
      "tensorflow",
      "--partition",
      "gpu",
      "--account",
      "lab",
    ], slurm);
    assertEquals(run.code, 0, run.stderr);
    const stages = run.stdout.split("# ---- cells job, stage ").slice(1);
    assertEquals(stages.length > 0, true, run.stdout);
    for (const script of stages) {
      assertStringIncludes(script, "#SBATCH --partition=gpu\n#SBATCH --account=lab\n");
      assertStringIncludes(script, "#SBATCH --gres=gpu:1\n");
      assertStringIncludes(script, "export DEMURE_BACKEND=tensorflow\n");
    }
    // Without --gpu no task asks for one.
    const cpu = submit(["--dry-run", "--results", `${slurm}/results`], slurm);
    assertEquals(cpu.code, 0, cpu.stderr);
    assertEquals(cpu.stdout.includes("--gres"), false);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("submit run from a workspace path with a comma refuses it, naming the workspace folder (LH20)", () => {
  // A comma would split the permission flags. (--results with one is refused by the option
  // itself; the workspace is not an option.)
  const slurm = fakeSlurm();
  const spaced = `${slurm}/x,y`;
  Deno.mkdirSync(spaced);
  Deno.symlinkSync(workspace, `${spaced}/ws`);
  try {
    const output = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${spaced}/ws/scripts/slurm/submit.ts`,
        "--quick",
        "--dry-run",
        "--results",
        `${slurm}/r`,
      ],
      env: { PATH: slurm },
    }).outputSync();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 2, stderr);
    assertStringIncludes(
      stderr,
      `slurm: workspace folder "${spaced}/ws" contains white space or a comma: #SBATCH lines and ` +
        "permission flags cannot hold it",
    );
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("submit without --results uses the workspace's own results folder, wherever it runs (LH21)", () => {
  const slurm = fakeSlurm();
  const here = Deno.makeTempDirSync({ prefix: "submit_cwd_" });
  try {
    const output = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${workspace}/scripts/slurm/submit.ts`, "--quick", "--dry-run"],
      cwd: here,
      env: { PATH: slurm },
    }).outputSync();
    const decoder = new TextDecoder();
    assertEquals(output.code, 0, decoder.decode(output.stderr));
    const stdout = decoder.decode(output.stdout);
    assertStringIncludes(stdout, `(results: ${workspace}/results/quick)\n`);
    assertStringIncludes(stdout, `#SBATCH --output=${workspace}/results/quick/slurm/logs/`);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
    Deno.removeSync(here, { recursive: true });
  }
});

Deno.test("a failed submission into an existing results folder removes the Slurm folder it made, and only that (LH15)", () => {
  const slurm = fakeSlurm({ reportFails: true });
  const resultsDir = `${slurm}/results`;
  Deno.mkdirSync(resultsDir);
  Deno.writeTextFileSync(`${resultsDir}/notes.txt`, "mine");
  try {
    const run = submit(["--results", resultsDir], slurm);
    assertEquals(run.code, 1, run.stderr);
    assertStringIncludes(run.stderr, "Invalid account");
    assertEquals(calls(slurm, "scancel"), ["41 42 43"]);
    assertEquals([...Deno.readDirSync(resultsDir)].map((entry) => entry.name), ["notes.txt"]);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("a claim by a plain batch job asks squeue for that job without a header; none listed, it is released (LH17)", () => {
  // With its header line, squeue's answer is never empty: every such claim would count as live.
  const slurm = fakeSlurm();
  const resultsDir = `${slurm}/results`;
  const claimed = STAGES[0][0];
  const store = new ResultStore(cellsDirectory(resultsDir));
  Deno.mkdirSync(cellsDirectory(resultsDir), { recursive: true });
  const claim = { pid: 123, hostname: "node7", since: "then", job: "77" };
  Deno.writeTextFileSync(store.claimPathOf(claimed), JSON.stringify(claim));
  try {
    const run = submit(["--results", resultsDir], slurm);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(calls(slurm, "squeue"), ["-h -j 77"]);
    assertStringIncludes(run.stdout, `release the claim of ${claimed}: job 77 no longer runs\n`);
    assertEquals(store.claimOf(claimed), undefined);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

// "A submission whose record cannot be written cancels its report job too, naming the record"
// (LH) is in tests/slurm/submit_half_written_left_test.ts: the record is written atomically now,
// which replaces the dangling link this test made unwritable, so a full disk makes it fail there.

Deno.test("submit refuses a results folder whose log path sbatch would rewrite (%, a quote, a backslash)", () => {
  // "#SBATCH --output=<results>/slurm/logs/cell-%A_%a.log": sbatch expands a "%j" in the folder
  // too, so the task logs landed elsewhere; a backslash turned the patterns off.
  const slurm = fakeSlurm();
  try {
    for (const mark of ["%", '"', "'", "\\"]) {
      const resultsDir = `${slurm}/r${mark}j`;
      const { code, stderr } = submit(["--dry-run", "--results", resultsDir], slurm);
      assertEquals(code, 2, stderr);
      assertStringIncludes(
        stderr,
        `slurm: results folder "${resultsDir}" contains ${mark}: sbatch reads the log path of ` +
          "#SBATCH --output itself",
      );
    }
    // A folder without them is taken (the dry run prints the batch scripts).
    const plain = submit(["--dry-run", "--results", `${slurm}/r-j`], slurm);
    assertEquals(plain.code, 0, plain.stderr);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});
