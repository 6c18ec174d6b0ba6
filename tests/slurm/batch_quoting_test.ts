/**
 * Quoting audit of the Slurm batch scripts (scripts/slurm/batch.ts): every value they carry (the
 * cell keys, the results folder, the plan's flags, deno's path, the workspace, the backend, the
 * log folder) reaches bash, and so `reproduce`, as exactly itself however odd (spaces, quotes, a
 * backslash, `$`, a backquote, a newline, a tab, `#`, a leading `-`, letters of any script, an
 * empty word), and the `#SBATCH` lines read as written by sbatch's rules
 * (tests/slurm/_sbatch_directives.ts). The scripts run in bash against a stand-in deno that
 * records its arguments.
 */
import { assertEquals } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { sbatchDirectives } from "./_sbatch_directives.ts";
import {
  cellsBatchScript,
  reportBatchScript,
  type SubmissionSettings,
} from "../../scripts/slurm/batch.ts";
import type { StageArray } from "../../scripts/cluster/stages.ts";

/** Words bash would take for something else, were they not quoted. */
const ODD = [
  "with space",
  "it's",
  'say "hi"',
  "back\\slash",
  "$HOME",
  "a`id`b",
  "$(id)",
  "two\nlines",
  "tab\there",
  "#comment",
  "-x",
  "ünï 😀 日本",
  "",
  '"$cell"',
  "*",
];

/** Keys as the plan makes them (`<mode>/<dataset label>/<system>/seed=<n>`), labels odd. */
const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  ...ODD.map((label, index) => `quick/${label}/SASRec-ID/seed=${index}`),
  // A regular expression's characters, and a key that is another's start.
  "quick/a.b*c+[d]^e$f|g{2}(h)?/seed=1",
  "quick/Synthetic(numUsers=160)/Pop/seed=01",
];

const RESOURCES = { cpus: 2, memoryMb: 1536, minutes: 13 };

/**
 * A workspace and a stand-in deno in `dir`, both under names with odd characters; the stand-in
 * prints $OUTPUT (printf %s) and records in $ARGS_FILE its folder, DEMURE_BACKEND and arguments,
 * each ended by a NUL byte.
 */
function standIns(dir: string): { workspace: string; deno: string; args: string } {
  const workspace = `${dir}/work space's $x \`id\` #ü`;
  const bin = `${dir}/bin "d" -\n日`;
  Deno.mkdirSync(workspace);
  Deno.mkdirSync(bin);
  const args = `${dir}/args`;
  const deno = `${bin}/deno $x`;
  Deno.writeTextFileSync(
    deno,
    `#!/bin/bash\nprintf '%s\\0' "$PWD" "\${DEMURE_BACKEND-unset}" "$@" >"$ARGS_FILE"\n` +
      `printf %s "$OUTPUT"\n`,
  );
  Deno.chmodSync(deno, 0o755);
  return { workspace, deno, args };
}

function settingsOf(
  standIn: { workspace: string; deno: string },
  resultsDir: string,
): SubmissionSettings {
  return {
    workspace: standIn.workspace,
    resultsDir,
    logDir: `${resultsDir}/slurm/logs`,
    deno: standIn.deno,
    permissions: ["--no-prompt", `--allow-read=.,${resultsDir}`, `--allow-write=${resultsDir}`],
    planArgs: ODD,
    concurrency: 7,
    partition: "cpu,gpu-a.b+c_d",
    account: "-lab",
    gpus: 1,
    backend: "webgpu",
  };
}

/** Runs `script` in bash with `env` (PATH: the system's only); its exit code and output. */
function bash(script: string, env: Record<string, string>) {
  return runCaptured("bash", ["-c", script], { PATH: "/usr/bin:/bin", ...env });
}

/** The stand-in's record: its folder, DEMURE_BACKEND, and its arguments. */
function recorded(args: string): string[] {
  const words = Deno.readTextFileSync(args).split("\0").slice(0, -1);
  Deno.removeSync(args);
  return words;
}

function inTemp(body: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "batch_quoting_" });
  try {
    body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("array script: task i runs cell i, with the results folder, plan flags and deno as written", () => {
  inTemp((dir) => {
    const standIn = standIns(dir);
    // What submit.ts lets through: `$`, a backquote, `:`, `-`, letters of any script.
    const resultsDir = `${dir}/r$x\`id\`:-ü日本`;
    const settings = settingsOf(standIn, resultsDir);
    const array: StageArray = { stage: 1, keys: KEYS, resources: RESOURCES };
    const script = cellsBatchScript(array, settings);
    assertEquals(sbatchDirectives(script), [
      "--job-name=demure-cells-stage1",
      `--array=0-${KEYS.length - 1}%7`,
      "--cpus-per-task=2",
      "--mem=1536M",
      "--time=00:13:00",
      `--output=${resultsDir}/slurm/logs/cell-%A_%a.log`,
      "--partition=cpu,gpu-a.b+c_d",
      "--account=-lab",
      "--gres=gpu:1",
    ]);
    for (let task = 0; task < KEYS.length; task++) {
      const run = bash(script, {
        SLURM_ARRAY_JOB_ID: "41",
        SLURM_ARRAY_TASK_ID: String(task),
        ARGS_FILE: standIn.args,
      });
      assertEquals(run.code, 0, run.stderr);
      assertEquals(run.stdout.startsWith(`task 41_${task} on `), true, run.stdout);
      assertEquals(run.stdout.endsWith(`: ${KEYS[task]}\n`), true, run.stdout);
      assertEquals(recorded(standIn.args), [
        standIn.workspace,
        "webgpu",
        "run",
        ...settings.permissions,
        "scripts/reproduce.ts",
        "--cell",
        KEYS[task],
        "--results",
        resultsDir,
        ...ODD,
      ], `task ${task}`);
    }
  });
});

Deno.test("report script: names exactly the missing submitted cells, keys with a line break, a tab or regex characters included", () => {
  // The report read reproduce's `missing<TAB><index><TAB><key>` lines one by one: a key holding a
  // line break (a --dataset file's name) was cut in two, its failed cell was not named, and the
  // job exited 0.
  inTemp((dir) => {
    const missing = KEYS.filter((key, index) => index % 2 === 1 || key.includes("\n"));
    const output = "wrote results/summary.md\n\n3 of 17 cells are missing (not finished):\n" +
      missing.map((key, index) => `missing\t${index + 3}\t${key}\n`).join("") +
      // Lines that are not a missing cell's: a key inside other text, a key's end, no index.
      `note\t${KEYS[0]}\nmissing\t\t${KEYS[2]}\nmissing\tx\t${KEYS[4]}\nmissing\t1\t${KEYS[6]} \n` +
      `${KEYS.at(-1)}\n`;
    const standIn = standIns(dir);
    const resultsDir = `${dir}/r$x\`id\`ü`;
    const arrays: StageArray[] = [
      { stage: 0, keys: KEYS.slice(0, 5), resources: RESOURCES },
      { stage: 1, keys: KEYS.slice(5), resources: RESOURCES },
    ];
    const settings = settingsOf(standIn, resultsDir);
    const script = reportBatchScript(arrays, settings);
    assertEquals(sbatchDirectives(script), [
      "--job-name=demure-report",
      "--cpus-per-task=1",
      "--mem=2048M",
      "--time=00:30:00",
      `--output=${resultsDir}/slurm/logs/report-%j.log`,
      "--partition=cpu,gpu-a.b+c_d",
      "--account=-lab",
    ]);
    const run = bash(script, {
      DEMURE_CELLS_JOBS: "41:42",
      ARGS_FILE: standIn.args,
      OUTPUT: output,
    });
    assertEquals(run.code, 1, run.stderr);
    const logs = `${resultsDir}/slurm/logs`;
    const failed = KEYS.flatMap((key, index) =>
      missing.includes(key)
        ? [
          `failed cell: ${key} (its task never started: no log ${logs}/cell-${
            index < 5 ? 41 : 42
          }_${index < 5 ? index : index - 5}.log)`,
        ]
        : []
    );
    // reproduce's output as printed (it ends in one line break), then the failed cells and the count.
    assertEquals(
      run.stdout,
      `${output}${failed.join("\n")}\n${KEYS.length} cells submitted, ${missing.length} failed\n` +
        "to run them: the same deno task slurm command again (finished cells are left out, the " +
        "rest resume from their last epoch checkpoint; docs/scale.md)\n",
    );
    assertEquals(recorded(standIn.args), [
      standIn.workspace,
      "unset",
      "run",
      ...settings.permissions,
      "scripts/reproduce.ts",
      "--report-only",
      "--results",
      resultsDir,
      ...ODD,
    ]);
  });
});

Deno.test("report script: no missing cell, whatever the keys: exit 0", () => {
  inTemp((dir) => {
    const standIn = standIns(dir);
    const script = reportBatchScript(
      [{ stage: 0, keys: KEYS, resources: RESOURCES }],
      settingsOf(standIn, `${dir}/r`),
    );
    const output = `wrote results/summary.md\n${KEYS.join("\n")}`;
    const run = bash(script, { DEMURE_CELLS_JOBS: "7", ARGS_FILE: standIn.args, OUTPUT: output });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout, `${output}\n${KEYS.length} cells submitted, 0 failed\n`);
  });
});

Deno.test("sbatchDirectives reads as sbatch does: an unquoted # ends the line, quotes and backslashes escape", () => {
  // Why submit.ts refuses these in the results folder: the log path would not arrive as written.
  const read = (line: string) =>
    sbatchDirectives(`#!/bin/bash\n#SBATCH ${line}\nset -e\n#SBATCH --late`);
  assertEquals(read("--output=/r#x/log"), ["--output=/r"]);
  assertEquals(read("--output=/r'a b'/log #c"), ["--output=/ra b/log"]);
  assertEquals(read('--output=/r\\"x --mem=1'), ['--output=/r"x', "--mem=1"]);
  assertEquals(read("--output=/r$x`id`ü-日"), ["--output=/r$x`id`ü-日"]);
});
