/**
 * The command line of `deno task reproduce`: `--help` and `-h` print the usage and exit 0; an
 * unknown option, a missing value, a stray argument or a bad value is one line naming it (no stack)
 * and exit 2.
 * Both stop before the backend or any data is loaded, and before the library is: the script's static
 * imports (its options module, `scripts/reproduce_options.ts`) reach no tfjs and no library barrel,
 * which it imports dynamically once the options are valid.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { canMakeImmutable, setImmutable } from "../_immutable.ts";
import { recordResultsPlan } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";
import { removalOfMade, scratchFolder } from "../_made_folders.ts";
import { denoTask } from "../_deno_task.ts";
import { reproduceIn } from "./_reproduce_in.ts";

/** How every refusal of `--seeds` ends (scripts/cli/seeds_option.ts), before "; see --help". */
const ALLOWED_SEEDS = "allowed: distinct integers in 0..2^31-1, comma-separated";

const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A task's command line (deno.json). */
function taskCommand(task: "reproduce" | "report"): string {
  return denoTask(task);
}

/** Runs the reproduce task's command (deno.json: its permissions and script) with `args`. */
async function reproduce(...args: string[]) {
  return await reproduceWith({}, ...args);
}

/** {@linkcode reproduce} with `env` added to the environment. */
async function reproduceWith(env: Record<string, string>, ...args: string[]) {
  return await runTask("reproduce", env, args);
}

/** Runs `task`'s command (deno.json) with `args` and `env` added to the environment. */
async function runTask(task: "reproduce" | "report", env: Record<string, string>, args: string[]) {
  const words = taskCommand(task).split(/\s+/);
  return await runDeno([...words.slice(words.indexOf("run")), ...args], env);
}

/** Runs `deno args...` in the project folder; `unset` names variables it does not inherit. */
async function runDeno(args: string[], env: Record<string, string> = {}, unset: string[] = []) {
  const inherited = Object.entries(Deno.env.toObject()).filter(([name]) => !unset.includes(name));
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { ...Object.fromEntries(inherited), ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("reproduce --help and -h print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await reproduce(flag);
    assertEquals(code, 0, stderr);
    assert(stdout.startsWith("Usage: deno task reproduce"), stdout);
    for (const option of ["--select", "--workers N", "--cell ID_OR_INDEX", "-h, --help"]) {
      assertStringIncludes(stdout, option);
    }
    assertStringIncludes(stdout, "SIGKILL", "says what a stopped run leaves");
  }
});

Deno.test("report --help prints the report's usage, pointing to reproduce's for the options", async () => {
  // It printed reproduce's whole usage, headed "deno task reproduce", with commands that report
  // refuses (--select, --cell). deno.json's report task is reproduce.ts --report-only.
  const { code, stdout, stderr } = await reproduce("--report-only", "--help");
  assertEquals(code, 0, stderr);
  assert(stdout.startsWith("Usage: deno task report [options]\n"), stdout);
  for (
    const text of ["(= deno task report) regenerate", "deno task reproduce --help", "--results"]
  ) {
    assertStringIncludes(stdout, text);
  }
  for (const refused of ["--select", "--cell ID_OR_INDEX", "--workers N", "--list-cells"]) {
    assertEquals(stdout.includes(refused), false, refused);
  }
  // Its lines are reproduce's, not copies: each of them but the pointer is in reproduce's usage.
  const reproduceUsage = (await reproduce("--help")).stdout;
  const own = stdout.trimEnd().split("\n").slice(1).filter((line) =>
    !reproduceUsage.includes(line)
  );
  assertEquals(own.length, 3, own.join("\n"));
});

Deno.test("reproduce: a bad argument is one line naming it, then exit 2", async () => {
  const cases = [
    // The options there are, but --worker (set by a main process on its workers).
    [
      ["--select", "--wrokers", "2"],
      "reproduce: Unknown option '--wrokers' (options: --help/-h, --quick, --select, --all, " +
      "--seeds, --results, --report-only, --list-cells, --json, --cell, --dataset, --format, " +
      "--features, --ranking, --max-epochs, --patience, --first, --workers); see --help\n",
    ],
    [["--results"], "reproduce: Option '--results <value>' argument missing; see --help\n"],
    // Bad values of known options, including those the plan range-checks.
    [
      ["--seeds=1,x"],
      `reproduce: --seeds 1,x: "x" is not an integer; ${ALLOWED_SEEDS}; see --help\n`,
    ],
    // The refusals given with --list-cells: were one let through, the run would list the cells
    // and stop, not train the grid. An empty entry is no seed: dropped, "0,,1" would run seeds 0
    // and 1 without a word.
    [
      ["--list-cells", "--seeds=0,,1"],
      `reproduce: --seeds 0,,1: "" is not an integer; ${ALLOWED_SEEDS}; see --help\n`,
    ],
    [
      ["--seeds=1,1"],
      "reproduce: --seeds 1,1: 1 given twice; allowed: distinct integers in 0..2^31-1, " +
      "comma-separated; see --help\n",
    ],
    [
      ["--first=abc"],
      'reproduce: --first: "abc" is not one of synthetic, movielens; see --help\n',
    ],
    [
      ["--list-cells", "--workers=2"],
      "reproduce: --workers: only for runs of many cells, not with --list-cells; see --help\n",
    ],
    [
      ["--dataset=d.txt", "--format=csv"],
      'reproduce: --format: "csv" is not one of sequence, recbole; see --help\n',
    ],
    [
      ["--list-cells", "--patience=3"],
      "reproduce: --patience: only with --dataset PATH, which is missing; see --help\n",
    ],
    [
      ["--list-cells", "--cell=0"],
      "reproduce: --list-cells and --cell exclude each other: choose one; see --help\n",
    ],
    // Without --list-cells, --json used to be ignored and the whole quick grid started.
    [["--quick", "--json"], "reproduce: --json: only with --list-cells; see --help\n"],
    // Used to read "TrainerConfig.maxEpochs is NaN", naming neither the option nor the value.
    [
      ["--dataset=d.txt", "--format=sequence", "--max-epochs=x"],
      'reproduce: --max-epochs: "x" is not an integer; see --help\n',
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--patience=1.5"],
      'reproduce: --patience: "1.5" is not an integer; see --help\n',
    ],
    // Outside the task's permissions: used to stop on Deno's uncaught NotCapable with a stack.
    // A folder outside the project is added to them (reproduce_outside_data_test.ts), but not by
    // a worker, whose flags its main process chose, nor inside the project, where the task
    // writes only its results folders. Both said "(its permissions cover the project folder)"
    // until 2026-12-06, true of the reads only: the writes are named now, from deno.json.
    [
      ["--quick", "--cell=0", "--results=lib/out"],
      "reproduce: --results lib/out: this task may not write there: in the project it writes " +
      "only ./results, ./results-of-record, ./README.md (deno.json's reproduce task); give a " +
      "folder under one of those folders, or one outside the project, which the run adds to its " +
      "permissions by itself (it starts again with it), as docs/permissions.md says\n",
    ],
    // A path inside the project that the task may not write, beside one outside: the inside one
    // is named (the restart could not add it), and the run does not start again (mutation round
    // IL, IL22).
    [
      ["--quick", "--cell=0", "--results=lib/out", "--dataset=/nonexistent/d.txt"]
        .concat("--format=sequence"),
      "reproduce: --results lib/out: this task may not write there: in the project it writes " +
      "only ./results, ./results-of-record, ./README.md (deno.json's reproduce task); give a " +
      "folder under one of those folders, or one outside the project, which the run adds to its " +
      "permissions by itself (it starts again with it), as docs/permissions.md says\n",
    ],
    // A worker, and a run that already started itself again (none starts a third process).
    ...[
      ["--worker", "a worker process does not do (its main process chose its flags)"],
      ["--restarted", "a run started again once already does not do again"],
    ].map(([flag, why]): [string[], string] => [
      ["--quick", flag, "--dataset=/nonexistent/d.txt", "--format=sequence"],
      "reproduce: --dataset /nonexistent/d.txt: this task may not read there; a folder outside " +
      `the project is added by the run starting itself again with it, which ${why}; run ` +
      "scripts/reproduce.ts with that folder added to --allow-read, as docs/permissions.md " +
      "shows\n",
    ]),
    // Permission flags list paths with commas: such a folder cannot be added.
    [
      ["--quick", "--list-cells", "--dataset=/nonexistent/a,b/tiny", "--format=recbole"],
      "reproduce: --dataset /nonexistent/a,b: holds white space or a comma, which the " +
      "permission flags of a run outside the project cannot carry: use a path without them\n",
    ],
    [
      ["--quick", "--list-cells", "--dataset=tests/fixtures/byo/tiny.txt", "--format=sequence"]
        .concat(["--results=/nonexistent/a b"]),
      "reproduce: --results /nonexistent/a b: holds white space or a comma, which the " +
      "permission flags of a run outside the project cannot carry: use a path without them\n",
    ],
    // --results inside the project goes into the restarted run's flags too: its white space
    // stops here, not in an uncaught "folder ... holds white space" (mutation round IL, IL28).
    [
      ["--quick", "--list-cells", "--dataset=/nonexistent/d.txt", "--format=sequence"]
        .concat(["--results=results/a b"]),
      "reproduce: --results results/a b: holds white space or a comma, which the " +
      "permission flags of a run outside the project cannot carry: use a path without them\n",
    ],
    // A file, or a path through one: stopped at its selected.json with "Not a directory", exit 1.
    [
      ["--report-only", "--results=README.md"],
      "report: --results README.md: not a folder; see --help\n",
    ],
    [
      ["--quick", "--list-cells", "--results=README.md/quick"],
      "reproduce: --results README.md/quick: cannot be read (Not a directory (os error 20): stat " +
      "'README.md/quick'); see --help\n",
    ],
    // node:util keeps the last of a repeated option: the run went into the second folder.
    [
      ["--quick", "--list-cells", "--results=results/a", "--results=results/b"],
      "reproduce: --results given twice: give it once; see --help\n",
    ],
    [
      ["--seeds", "-1"],
      "reproduce: Option '--seeds' argument is ambiguous (a value starting with a dash: " +
      "--name=-1); see --help\n",
    ],
    [["--list-cells", "--results="], "reproduce: --results: an empty value; see --help\n"],
    // A minus passes the integer check; the range check names the flag, not the plan's setting.
    [
      ["--seeds=0,-1"],
      "reproduce: --seeds 0,-1: -1 is outside 0..2147483647; allowed: distinct integers in " +
      "0..2^31-1, comma-separated; see --help\n",
    ],
    // Only blanks: no path (it would name the project folder's child " ").
    [["--list-cells", "--results= "], "reproduce: --results: an empty path; see --help\n"],
    [
      ["--dataset=d.txt", "--format=sequence", "--features=image= "],
      "reproduce: --features: an empty path; see --help\n",
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--features=image"],
      'reproduce: --features: "image" is not name=path; see --help\n',
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--features==x"],
      'reproduce: --features: "=x" is not name=path; see --help\n',
    ],
    // Each of the imported dataset's options without --dataset (they would be dropped unsaid).
    ...(["--format=sequence", "--features=image=x", "--max-epochs=3"] as const).map((
      option,
    ): [string[], string] => [
      ["--list-cells", option],
      `reproduce: ${option.slice(0, option.indexOf("="))}: only with --dataset PATH, which is ` +
      "missing; see --help\n",
    ]),
    [
      ["--select", "--all"],
      "reproduce: --select and --all exclude each other: choose one; see --help\n",
    ],
    [
      ["--list-cells", "--ranking=bogus"],
      'reproduce: --ranking: "bogus" is not one of history_excluded, history_kept; see --help\n',
    ],
    // Past the bound below: outside the seeds' range, as -1 is (it said "not an integer of at
    // least -9007199254740991" until session 54).
    [
      ["--seeds=-99999999999999999999"],
      "reproduce: --seeds -99999999999999999999: -99999999999999999999 is outside " +
      `0..2147483647; ${ALLOWED_SEEDS}; see --help\n`,
    ],
    // Number() read these as 16 and 1000.
    [
      ["--seeds=0x10"],
      `reproduce: --seeds 0x10: "0x10" is not an integer; ${ALLOWED_SEEDS}; see --help\n`,
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--max-epochs=1e3"],
      'reproduce: --max-epochs: "1e3" is not an integer; see --help\n',
    ],
    // Number() rounded these to 1e20, a value nobody typed, and took the spaces around a number.
    [
      ["--dataset=d.txt", "--format=sequence", "--max-epochs=99999999999999999999"],
      'reproduce: --max-epochs: "99999999999999999999" is not an integer of at most ' +
      "9007199254740991; see --help\n",
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--patience= 5 "],
      'reproduce: --patience: " 5 " is not an integer; see --help\n',
    ],
    [
      ["--seeds=0,99999999999999999999"],
      "reproduce: --seeds 0,99999999999999999999: 99999999999999999999 is outside " +
      `0..2147483647; ${ALLOWED_SEEDS}; see --help\n`,
    ],
    // Number() read these as 2 and 10 processes (docs/configuration.md: refused).
    [
      ["--quick", "--workers=0x2"],
      "reproduce: --workers 0x2: must be an integer in 1..64; see --help\n",
    ],
    [
      ["--quick", "--workers=1e1"],
      "reproduce: --workers 1e1: must be an integer in 1..64; see --help\n",
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--features=image="],
      'reproduce: --features: "image=" is not name=path; see --help\n',
    ],
    [
      ["--dataset=d.txt"],
      "reproduce: --dataset needs --format (sequence or recbole): docs/data.md; see --help\n",
    ],
    // The trainer's range, named by the option that was typed.
    [
      [
        "--list-cells",
        "--dataset=tests/fixtures/byo/tiny.txt",
        "--format=sequence",
        "--patience=0",
      ],
      "reproduce: --patience 0: TrainerConfig.patience is 0; allowed: an integer >= 1; see --help\n",
    ],
    [
      [
        "--list-cells",
        "--dataset=tests/fixtures/byo/tiny.txt",
        "--format=sequence",
        "--max-epochs=0",
      ],
      "reproduce: --max-epochs 0: TrainerConfig.maxEpochs is 0; allowed: an integer >= 1; " +
      "see --help\n",
    ],
    [
      ["--dataset=d.txt", "--format=sequence", "--first=movielens"],
      "reproduce: --first: only for the embedded datasets, not with --dataset; see --help\n",
    ],
    // --first orders the cells a run of the plan trains; these dropped it without a word.
    [
      ["--report-only", "--first=movielens"],
      "report: --first: only for runs of many cells, not with --report-only; see --help\n",
    ],
    [
      ["--list-cells", "--first=synthetic"],
      "reproduce: --first: only for runs of many cells, not with --list-cells; see --help\n",
    ],
    // The verification, of the main-table subset or --all (one let through starts it).
    ...[[], ["--all"]].map((command): [string[], string] => [
      [...command, "--first=movielens"],
      "reproduce: --first: not for the verification of the records, which reruns the longest " +
      "cells first (it orders a run of the plan: --quick, --select or another --results); " +
      "see --help\n",
    ]),
    // The worker processes get the folder in permission flags (it used to write plan.json, then
    // stop on an uncaught error).
    [
      ["--quick", "--workers=2", "--results=results/a b"],
      'reproduce: "results/a b" holds white space or a comma, which the worker processes\' ' +
      "permission flags cannot carry: use another folder, or --workers 1\n",
    ],
    [
      ["--quick", "--workers=2", "--results=results/a,b"],
      'reproduce: "results/a,b" holds white space or a comma, which the worker processes\' ' +
      "permission flags cannot carry: use another folder, or --workers 1\n",
    ],
    // --all verifies the records; elsewhere it used to run the plan without a word.
    [
      ["--quick", "--all"],
      "reproduce: --all reruns and compares the records (results-of-record/full); results/quick " +
      "is another folder, whose plan runs (and resumes) without --all; see --help\n",
    ],
  ] as const;
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await reproduce(...args);
    assertEquals([code, stdout, stderr], [2, "", message], args.join(" "));
  }
  // A bad DEMURE_BLAS_THREADS used to fall back to the core count, which every cell recorded;
  // a bad DEMURE_SELECTION_WAIT_S stops before anything loads (Infinity used to wait forever;
  // "0x10" waited 16 s and "1e3" 1000 s, notations no other variable or option takes; a second
  // past a week is past the bound, and "5." no decimal number).
  const badWaits = ["Infinity", "abc", "-1", "", "0x10", "1e3", " 5", "604801", "5."];
  const environments: [Record<string, string>, string][] = [
    // " 2 " was trimmed and taken, where every other setting refuses white space.
    ...["abc", "0", "1.5", "100000", " 2 ", "2\n"].map((
      value,
    ): [Record<string, string>, string] => [
      { DEMURE_BLAS_THREADS: value },
      `DEMURE_BLAS_THREADS=${value}: must be an integer in 1..256 (unset: the core count)`,
    ]),
    // Read by every cell: a bad value stops here, before any process starts one.
    [
      { DEMURE_BLAS_KERNELS: "bogus" },
      'DEMURE_BLAS_KERNELS is "bogus"; allowed: records or native (unset: records)',
    ],
    ...badWaits.map((value): [Record<string, string>, string] => [
      { DEMURE_SELECTION_WAIT_S: value },
      `DEMURE_SELECTION_WAIT_S=${value}: must be a decimal number of seconds in 0..604800 ` +
      "(default 21600)",
    ]),
  ];
  for (const [env, message] of environments) {
    const { code, stderr } = await reproduceWith(env, "--quick", "--list-cells");
    assertEquals([code, stderr], [2, `reproduce: ${message}\n`], JSON.stringify(env));
  }
});

Deno.test("deno task report's errors name the report, not reproduce; reproduce's keep its name", async () => {
  // Every line of the report task began "reproduce:", a command its user had not typed.
  // Under results/: the task may write there only (a fresh clone has no such folder yet, and
  // keeps none after the test).
  const scratch = scratchFolder(`${root}results`, "report_no_cells_");
  const empty = scratch.path;
  try {
    const folder = empty.slice(root.length);
    const cases: [string[], number, string][] = [
      [
        ["--bogus"],
        2,
        "Unknown option '--bogus' (options: --help/-h, --quick, --select, --all, --seeds, " +
        "--results, --report-only, --list-cells, --json, --cell, --dataset, --format, " +
        "--features, --ranking, --max-epochs, --patience, --first, --workers); see --help\n",
      ],
      // The report task may not start Deno: it cannot run again with the folder added.
      [
        ["--results=/nonexistent"],
        2,
        "--results /nonexistent: this task may not read or write there; a folder outside the " +
        "project is added by the run starting itself again with it, which this run cannot do: " +
        "it may not start Deno (no --allow-run of it); run scripts/reproduce.ts with that " +
        "folder added to --allow-read and --allow-write, as docs/permissions.md shows\n",
      ],
      [
        ["--dataset=/nonexistent/d.txt", "--format=sequence"],
        2,
        "--dataset /nonexistent/d.txt: this task may not read there; a folder outside the " +
        "project is added by the run starting itself again with it, which this run cannot do: " +
        "it may not start Deno (no --allow-run of it); run scripts/reproduce.ts with that " +
        "folder added to --allow-read, as docs/permissions.md shows\n",
      ],
      // Inside the project: the report task's writes, and no restart offered (it cannot).
      [
        ["--results=lib/out"],
        2,
        "--results lib/out: this task may not write there: in the project it writes only " +
        "./results, ./results-of-record, ./README.md (deno.json's report task); give a folder " +
        "under one of those folders, as docs/permissions.md says\n",
      ],
      [
        [`--results=${folder}`],
        1,
        `${folder} holds no finished cell of the full plan\n`,
      ],
    ];
    for (const [args, code, message] of cases) {
      const report = await runTask("report", {}, args);
      assertEquals([report.code, report.stdout, report.stderr], [code, "", `report: ${message}`]);
    }
    // The same mistake under reproduce is reproduce's.
    const bogus = await reproduce("--bogus");
    assertEquals([bogus.code, bogus.stderr], [2, `reproduce: ${cases[0][2]}`]);
  } finally {
    scratch.remove();
  }
});

Deno.test("report or verification of the records with options none of their cells was run with: one line, exit 1, no report", async () => {
  // Each used to write a report of 208 missing cells over results/full's, and exit 0 (the
  // verification after "0 of 0 reruns match their records"). The records' plan.json predates the
  // ranking: another --ranking is refused by the folder's check on its cells' ranking, other
  // --seeds (which plan.json does not compare) by the count of recorded cells.
  const why = "full plan with these options (its cells were run with other --seeds)\n";
  const otherRanking = "results-of-record/full/cells: the folder holds cells ranked with " +
    "--ranking history_excluded; this command ranks with --ranking history_kept. Use another " +
    "--results folder\n";
  const commands: [string[], string][] = [
    [["--report-only"], "results-of-record/full holds no finished cell of the "],
    [["--workers=1"], "results-of-record/full holds no recorded cell of the "],
  ];
  for (const [command, message] of commands) {
    for (
      const [option, expected] of [["--ranking=history_kept", otherRanking], [
        "--seeds=7",
        `${message}${why}`,
      ]]
    ) {
      const { code, stdout, stderr } = await reproduce(...command, option);
      const task = command.includes("--report-only") ? "report" : "reproduce";
      assertEquals([code, stderr], [1, `${task}: ${expected}`], `${command} ${option}`);
      assert(!stdout.includes("wrote"), stdout);
    }
  }
});

/** Runs scripts/reproduce.ts with `args` in a folder of records (records are found by path). */
async function reproduceInRecordsCopy(prepare: (records: string) => void, ...args: string[]) {
  return await reproduceInRecordsCopyWith({}, prepare, ...args);
}

/** {@linkcode reproduceInRecordsCopy} with `env` added to the environment. */
async function reproduceInRecordsCopyWith(
  env: Record<string, string>,
  prepare: (records: string) => void,
  ...args: string[]
) {
  const cwd = await Deno.makeTempDir({ prefix: "records_copy_" });
  try {
    const records = `${cwd}/results-of-record/full`;
    await Deno.mkdir(records, { recursive: true });
    recordResultsPlan(planExperiments("full"), records);
    prepare(records);
    // The report rewrites the README's tables.
    await Deno.copyFile(`${root}README.md`, `${cwd}/README.md`);
    return await reproduceIn(cwd, args, { denoFlags: ["--config", `${root}deno.json`], env });
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

Deno.test("records that store no cell yet (a fresh plan), or only selection trials: reported and verified, exit 0", async () => {
  // The refusal of records "of other options" is for records whose cells are none of the plan's;
  // a fresh plan has none to report, and a selection in progress has its trials to verify.
  const fresh = await reproduceInRecordsCopy(() => {}, "--report-only");
  assertEquals(fresh.code, 0, fresh.stderr);
  assertStringIncludes(fresh.stdout, "wrote results/full/summary.md");
  // The README's tables are the records' (of the default options); every cell is missing, of
  // every seed alike: no seed is named as the one not run.
  assertStringIncludes(fresh.stdout, "      README.md tables (");
  assert(!fresh.stdout.includes("No cell of seed"), fresh.stdout);
  const plan = planExperiments("full");
  const trial = plan.cells.find((cell) => cell.trial !== undefined)!;
  const selecting = await reproduceInRecordsCopy((records) => {
    new ResultStore(cellsDirectory(records)).put(
      trial.key,
      settingsOf(plan, trial),
      storedCellResult(),
    );
  }, "--workers=1");
  assertEquals(selecting.code, 0, selecting.stderr);
  assertStringIncludes(selecting.stdout, "verifying 0 cells against results-of-record/full");
});

Deno.test("fresh records: reported without the README under other --seeds, verified, and a claim is no cell", async () => {
  const plan = planExperiments("full");
  // Other --seeds are no records' tables: the README keeps the default options' tables.
  const seedZero = await reproduceInRecordsCopy(() => {}, "--report-only", "--seeds=0");
  assertEquals(seedZero.code, 0, seedZero.stderr);
  assertStringIncludes(seedZero.stdout, "wrote results/full/summary.md");
  assert(!seedZero.stdout.includes("README.md"), seedZero.stdout);
  // Records with no cell at all are no records "of other options": verified (nothing), exit 0.
  const verified = await reproduceInRecordsCopy(() => {}, "--workers=1");
  assertEquals(verified.code, 0, verified.stderr);
  assertStringIncludes(verified.stdout, "verifying 0 cells against results-of-record/full");
  // --all lists each cell it cannot verify for want of a record; cells that wait for a
  // selection are none of its candidates.
  const all = await reproduceInRecordsCopy(() => {}, "--all", "--workers=1");
  assertEquals(all.code, 0, all.stderr);
  const unverified = all.stdout.split("\n").filter((line) => line.startsWith("not verified"));
  const candidates = plan.cells.filter((cell) => !cell.waitsFor);
  assert(candidates.length < plan.cells.length);
  assertEquals(
    unverified,
    candidates.map((cell) => `not verified (no record yet): ${cell.key}`),
  );
  // Only .json files are cells: the claim of a cell running elsewhere is none.
  const stray = await reproduceInRecordsCopy((records) => {
    const claim = { pid: 1, hostname: "elsewhere", since: "now", job: "7_3" };
    const store = new ResultStore(cellsDirectory(records));
    Deno.writeTextFileSync(store.claimPathOf(plan.cells[0].key), JSON.stringify(claim));
  }, "--report-only");
  assertEquals(stray.code, 0, stray.stderr);
  assertStringIncludes(stray.stdout, "wrote results/full/summary.md");
});

Deno.test("reproduce --workers 2 keeps a DEMURE_BLAS_THREADS the user set, and one process starts no worker", async () => {
  // The verification of records holding only a selection trial: it starts its workers and
  // verifies nothing, trains nothing.
  const plan = planExperiments("full");
  const trial = plan.cells.find((cell) => cell.trial !== undefined)!;
  const storeTrial = (records: string) =>
    new ResultStore(cellsDirectory(records)).put(
      trial.key,
      settingsOf(plan, trial),
      storedCellResult(),
    );
  // The workers' permissions are the reproduce task's, read from deno.json where the run is.
  const two = await reproduceInRecordsCopyWith({ DEMURE_BLAS_THREADS: "2" }, (records) => {
    storeTrial(records);
    Deno.copyFileSync(`${root}deno.json`, `${records}/../../deno.json`);
  }, "--workers=2");
  assertEquals(two.code, 0, two.stderr);
  assertStringIncludes(
    two.stdout,
    "2 processes share the cells (this one and workers 2..2), 2 BLAS thread(s) each\n",
  );
  const one = await reproduceInRecordsCopy(storeTrial, "--workers=1");
  assertEquals(one.code, 0, one.stderr);
  assert(!one.stdout.includes("processes share"), one.stdout);
});

Deno.test("the verification reruns the longest recorded cells first and reports each against its record, exit 1 on a difference", async () => {
  // Records without a selection: the main-table subset is the four Pop and ItemKNN cells (the
  // neural ones wait), each a few seconds. Their recorded training times set the order, which
  // interleaves the datasets (the plan's order and a by-dataset order are both other orders).
  const plan = planExperiments("full");
  const seconds = new Map([
    ["full/Synthetic/ItemKNN/seed=0", 4],
    ["full/MovieLens/Pop/seed=0", 3],
    ["full/Synthetic/Pop/seed=0", 2],
    ["full/MovieLens/ItemKNN/seed=0", 1],
  ]);
  const { code, stdout, stderr } = await reproduceInRecordsCopy((records) => {
    const store = new ResultStore(cellsDirectory(records));
    for (const [key, trainSeconds] of seconds) {
      const cell = plan.cells.find((c) => c.key === key)!;
      store.put(key, settingsOf(plan, cell), { ...storedCellResult(), trainSeconds });
    }
  }, "--workers=1");
  // The records' NDCG@10 is the stub's 0.1: every rerun differs from it.
  assertEquals(code, 1, stderr);
  assertStringIncludes(stdout, "verifying 4 cells against results-of-record/full");
  const started = stdout.split("\n").filter((line) => /^\[\d\/4\] /.test(line));
  assertEquals(
    started.map((line) => line.slice(0, line.indexOf(":"))),
    [...seconds.keys()].map((key, i) => `[${i + 1}/4] ${key}`),
  );
  for (const key of seconds.keys()) {
    assertMatch(stdout, new RegExp(`\n${key} \\| differs[^|]*\\| 0\\.1000 \\| `));
  }
  assertStringIncludes(
    stdout,
    "\n0 of 4 reruns match their records (0 bit-identical); 0 without a record\n",
  );
  assertStringIncludes(stdout, "wrote results/full/summary.md");
});

Deno.test("--first orders a --select run into the records: it gets past the --first check", async () => {
  // Only the verification (no --select) is refused --first. A broken selected.json stops the run
  // at its next step, before any training: the line is that file's, not --first's.
  const { code, stderr } = await reproduceInRecordsCopy(
    (records) => Deno.writeTextFileSync(`${records}/selected.json`, "{"),
    "--select",
    "--first=movielens",
  );
  assertEquals(code, 1, stderr);
  assertStringIncludes(stderr, "reproduce: results-of-record/full/selected.json: ");
  // Named once: the file's own error names it, and is not prefixed with it again.
  assertEquals(stderr.split("selected.json").length, 2, stderr);
  assert(!stderr.includes("--first"), stderr);
});

Deno.test("reproduce --dataset: a file's results folder is named by its label and format", async () => {
  // x.txt (sequence) and x.inter (RecBole) share the label "x"; one folder per label made the
  // second run stop at the first one's plan.json. The files are copies under a label of this run
  // alone: with the fixture's own label, a results/tiny-sequence/quick left by docs/data.md's
  // example (`--features image=...`) made this test fail on that folder's other plan.
  const scratch = scratchFolder(`${root}build`, "reproduce_cli_label_");
  const dir = scratch.path;
  const label = dir.slice(dir.lastIndexOf("/") + 1);
  // --list-cells writes nothing; removed all the same should that change, with results/ if this
  // made it.
  const removals = ["sequence", "recbole"].map((format) =>
    removalOfMade(`${root}results/${label}-${format}`)
  );
  const folder = dir.slice(root.length);
  for (const extension of [".txt", ".inter", ".item"]) {
    Deno.copyFileSync(`${root}tests/fixtures/byo/tiny${extension}`, `${dir}/${label}${extension}`);
  }
  try {
    for (const [path, format] of [[`${label}.txt`, "sequence"], [label, "recbole"]] as const) {
      const { code, stdout, stderr } = await reproduce(
        "--quick",
        "--list-cells",
        "--json",
        `--dataset=${folder}/${path}`,
        `--format=${format}`,
      );
      assertEquals(code, 0, stderr);
      assertEquals(JSON.parse(stdout).resultsDir, `results/${label}-${format}/quick`);
      // The cells' estimates are the embedded data's: a cluster submission measures.
      assertEquals(JSON.parse(stdout).imported, true);
    }
  } finally {
    scratch.remove();
    for (const remove of removals) remove();
  }
});

Deno.test("reproduce --dataset: a malformed file is one line naming file, line and field, and nothing is written", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_bad_dataset_" });
  try {
    const inter = `${folder}/bad.inter`;
    Deno.writeTextFileSync(
      inter,
      "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1\nu1\ti2\tsoon\n",
    );
    const results = `${folder}/results`;
    const words = taskCommand("reproduce").split(/\s+/);
    const script = words.at(-1)!;
    const flags = taskPermissions(taskCommand("reproduce"), [folder]);
    const { code, stdout, stderr } = await runDeno([
      "run",
      ...flags,
      script,
      ...["--quick", "--seeds=0", "--workers=1", "--max-epochs=1"],
      ...["--dataset", `${folder}/bad`, "--format=recbole", "--results", results],
    ]);
    // Each cell used to fail on its own with the error and a stack, then the report stopped on it.
    assertEquals(
      [code, stderr],
      [
        1,
        `reproduce: ${inter}:3: field "timestamp:float": not a number: "soon" ` +
        "(decimal notation expected, e.g. 12, -0.5, 1e-3)\n",
      ],
      stdout,
    );
    assertEquals(
      [...Deno.readDirSync(folder)].map((entry) => entry.name),
      ["bad.inter"],
      "no results folder",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("reproduce --list-cells and --cell read --dataset first: a missing or malformed file is its one line, and nothing is written", async () => {
  // --list-cells (what a cluster submission reads) listed the cells of a missing file, each of
  // which then failed as a task; --cell wrote plan.json, then failed with a stack.
  const missing = await reproduce(
    ...["--quick", "--list-cells", "--json"],
    ...["--dataset=tests/fixtures/byo/missing.txt", "--format=sequence"],
  );
  assertEquals([missing.code, missing.stdout], [1, ""]);
  assertStringIncludes(
    missing.stderr,
    'reproduce: tests/fixtures/byo/missing.txt:0: field "file": cannot read: No such file',
  );
  assertEquals(missing.stderr.trim().split("\n").length, 1, missing.stderr);
  const folder = await Deno.makeTempDir({ prefix: "reproduce_cell_bad_dataset_" });
  try {
    Deno.writeTextFileSync(`${folder}/bad.txt`, "u1 i1 i2 i3\nu2\n");
    const flags = taskPermissions(taskCommand("reproduce"), [folder]);
    const { code, stdout, stderr } = await runDeno([
      "run",
      ...flags,
      taskCommand("reproduce").split(/\s+/).at(-1)!,
      ...["--quick", "--cell=0", "--results", `${folder}/results`],
      ...["--dataset", `${folder}/bad.txt`, "--format=sequence"],
    ]);
    assertEquals(code, 1, stdout);
    assert(/^reproduce: \S+bad\.txt:2: field [^\n]*\n$/.test(stderr), stderr);
    assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name), ["bad.txt"]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("reproduce on data and results outside the project: its workers read the data too; without --allow-run, one line", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_outside_" });
  try {
    Deno.mkdirSync(`${folder}/data`);
    for (const file of ["tiny.inter", "tiny.item"]) {
      Deno.copyFileSync(`${root}tests/fixtures/byo/${file}`, `${folder}/data/${file}`);
    }
    const script = taskCommand("reproduce").split(/\s+/).at(-1)!;
    const args = [
      ...["--quick", "--seeds=0", "--workers=2"],
      ...["--dataset", `${folder}/data/tiny`, "--format=recbole", "--results", `${folder}/out`],
    ];
    // What docs/permissions.md says to run: the task's flags, the results folder read-write and the
    // data folder read-only (scripts/task_permissions.ts --read-write, --read).
    const flags = taskPermissions(taskCommand("reproduce"), [`${folder}/out`], [`${folder}/data`]);
    // Two processes need the right to start the second: without it, one line, nothing written.
    const noRun = flags.filter((flag) => !flag.startsWith("--allow-run"));
    const refused = await runDeno(["run", ...noRun, script, ...args]);
    assertEquals(refused.code, 2);
    assertStringIncludes(
      refused.stderr,
      `reproduce: 2 processes (--workers, default one per core) start 1 more of ${Deno.execPath()}, ` +
        `which this run may not start: add --allow-run=${Deno.execPath()}, or pass --workers 1`,
    );
    assertEquals(
      [...Deno.readDirSync(folder)].map((entry) => entry.name).sort(),
      ["data"],
      "no results folder",
    );

    // Without DEMURE_BLAS_THREADS, each of the two processes takes one BLAS thread. Run with the
    // task's own flags (./run.sh reproduce): it runs again with the folders the command line names
    // added, and its worker gets them too (until 2026-12-06 it stopped: "may not read there").
    const words = taskCommand("reproduce").split(/\s+/);
    const run = await runDeno([...words.slice(words.indexOf("run")), ...args], {}, [
      "DEMURE_BLAS_THREADS",
    ]);
    assertEquals(run.code, 0, run.stdout + run.stderr);
    assertStringIncludes(
      run.stderr,
      `reproduce: reads ${folder}/data (--dataset); reads and writes ${folder}/out (--results)`,
    );
    assertStringIncludes(
      run.stdout,
      "2 processes share the cells (this one and workers 2..2), 1 BLAS thread(s) each\n",
    );
    // Worker 2 read the data and joined the plan (before, it could not read the data and failed,
    // and the run with it); it is the only worker, and the first process alone prints the data's
    // statistics.
    assertStringIncludes(run.stdout, "[worker 2] quick reproduction: 9 cells planned");
    assertEquals(run.stdout.includes("[worker 3]"), false, run.stdout);
    assertStringIncludes(run.stdout, "dataset tiny\n");
    assertEquals(run.stdout.includes("[worker 2] dataset "), false, run.stdout);
    // The kernel set too: the first process prints it, the worker (on the same machine) does not.
    assertStringIncludes(run.stdout, "\nOpenBLAS kernels: ");
    assertEquals(run.stdout.includes("[worker 2] OpenBLAS kernels"), false, run.stdout);
    assert(Deno.statSync(`${folder}/out/summary.md`).isFile);
    // The folder's plan, which later runs, reports and --cell tasks check theirs against.
    assert(Deno.statSync(`${folder}/out/plan.json`).isFile);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test({
  name: "reproduce: a results folder whose cells folder cannot be written is one line, no stack",
  ignore: !canMakeImmutable(),
  fn: async () => {
    const folder = await Deno.makeTempDir({ prefix: "reproduce_unwritable_cells_" });
    const cells = `${folder}/results/cells`;
    Deno.mkdirSync(cells, { recursive: true });
    try {
      setImmutable(cells, true);
      const flags = taskPermissions(taskCommand("reproduce"), [folder]);
      const script = taskCommand("reproduce").split(/\s+/).at(-1)!;
      const common = [
        ...["--quick", "--results", `${folder}/results`],
        ...[`--dataset=${root}tests/fixtures/byo/tiny.txt`, "--format=sequence"],
      ];
      // The whole plan (its first claim) and one cell (its claim): an uncaught stack before.
      for (const args of [[...common, "--seeds=0", "--workers=1"], [...common, "--cell=0"]]) {
        const { code, stderr } = await runDeno(["run", ...flags, script, ...args]);
        assertEquals(code, 1, stderr);
        assert(
          /^reproduce: [^\n]*(Permission denied|Operation not permitted)[^\n]*cells[^\n]*\n$/.test(
            stderr,
          ),
          stderr,
        );
      }
    } finally {
      setImmutable(cells, false);
      await Deno.remove(folder, { recursive: true });
    }
  },
});

/** One module of `deno info --json`, with the imports it names. */
interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/**
 * The modules of `entry`'s graph (`deno info`) reached through code imports: the static ones only
 * (what `deno run` loads before the entry's first line runs), or the dynamic ones as well.
 * Type-only imports are left out: they are erased before the code runs.
 */
async function codeModules(entry: string, withDynamic: boolean): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdin: "null",
  }).output();
  assertEquals(output.code, 0, decode(output.stderr));
  const graph = JSON.parse(decode(output.stdout)) as { roots: string[]; modules: InfoModule[] };
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const reached = new Set<string>(graph.roots);
  const queue = [...graph.roots];
  while (queue.length > 0) {
    for (const dependency of bySpecifier.get(queue.pop()!)?.dependencies ?? []) {
      const next = dependency.code?.specifier;
      if (next === undefined || (dependency.isDynamic && !withDynamic) || reached.has(next)) {
        continue;
      }
      reached.add(next);
      queue.push(next);
    }
  }
  return [...reached];
}

/** Modules `--help` and an option error must not wait for: tfjs (any package) and the barrels. */
const heavy = (specifier: string) =>
  specifier.includes("/node_modules/") || specifier.startsWith("npm:") ||
  specifier.includes("@tensorflow") || specifier.endsWith("/mod.ts");

Deno.test("reproduce loads tfjs and the library only by dynamic import, after its options", async () => {
  for (const entry of ["scripts/reproduce.ts", "scripts/reproduce_options.ts"]) {
    const loaded = await codeModules(entry, false);
    assertEquals(loaded.filter(heavy), [], `${entry}: static imports that load the library`);
    assert(loaded.some((specifier) => specifier.endsWith(entry)), entry);
  }
  // The check above looks at the right graph: through its dynamic imports the script reaches tfjs.
  const all = await codeModules("scripts/reproduce.ts", true);
  assert(all.some((specifier) => specifier.includes("/node_modules/@tensorflow/tfjs")));
  assert(all.some((specifier) => specifier.endsWith("/lib/experiments/mod.ts")));
});

Deno.test("reproduce's processes and the cell tools never load danfojs-node, the notebooks' tables", async () => {
  // Every process of the main job, its workers and each cluster task: about 90 MiB resident and
  // 1.2 s of start-up each when the script imported the root mod.ts (scripts/reproduce.ts). The
  // cell tools took it in through lib/data/mod.ts before the tables had a folder of their own.
  for (
    const script of [
      "scripts/reproduce.ts",
      "scripts/rerun_cell.ts",
      "scripts/snapshot_running_cell.ts",
    ]
  ) {
    const all = await codeModules(script, true);
    assertEquals(all.filter((specifier) => specifier.includes("danfojs")), [], script);
  }
  // The check looks at a graph that would show it: the root mod.ts reaches danfojs-node.
  assert((await codeModules("mod.ts", false)).some((specifier) => specifier.includes("danfojs")));
});

Deno.test("reproduce: a --max-epochs that an imported file's Demure warm-up outlasts is one line, before anything is written", async () => {
  // The fixture has one batch an epoch: one epoch is one step, below the quick warm-up of 2 steps.
  // Each Demure cell used to fail on its own after the cells before it had trained.
  const folder = await Deno.makeTempDir({ prefix: "reproduce_short_warmup_" });
  try {
    const script = taskCommand("reproduce").split(/\s+/).at(-1)!;
    for (const command of [["--workers=1"], ["--list-cells"]]) {
      const { code, stdout, stderr } = await runDeno([
        "run",
        ...taskPermissions(taskCommand("reproduce"), [folder]),
        script,
        ...["--quick", "--seeds=0", "--max-epochs=1", ...command],
        ...["--dataset=tests/fixtures/byo/tiny.txt", "--format=sequence"],
        ...["--results", `${folder}/results`],
      ]);
      // A run prints the file's statistics first; --list-cells (read by programs) prints nothing.
      assertEquals(code, 2, stderr);
      if (command[0] === "--list-cells") assertEquals(stdout, "");
      assertEquals(
        stderr,
        "reproduce: DemureConfig.warmupSteps is 2; allowed: an integer below the run's 1 training " +
          'steps (TrainerConfig.maxEpochs 1 x 1 batch an epoch) with warmupBy "steps": the run ' +
          "would end in its warm-up and never denoise (shorten the warm-up or train longer); cell " +
          "quick/tiny/Demure-SASRec/seed=0 on tiny (on the command line: a larger --max-epochs); " +
          "see --help\n",
      );
      assertEquals([...Deno.readDirSync(folder)], [], "nothing written");
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("reproduce --report-only does not check the warm-up against --max-epochs: it trains nothing", async () => {
  // The warm-up check is for runs that train; a report of a folder run with those options got
  // the warm-up's refusal (exit 2) in place of the folder's own state.
  const folder = await Deno.makeTempDir({ prefix: "reproduce_report_short_warmup_" });
  try {
    const { code, stdout, stderr } = await runDeno([
      "run",
      ...taskPermissions(taskCommand("reproduce"), [folder]),
      taskCommand("reproduce").split(/\s+/).at(-1)!,
      ...["--report-only", "--quick", "--seeds=0", "--max-epochs=1"],
      ...["--dataset=tests/fixtures/byo/tiny.txt", "--format=sequence"],
      ...["--results", `${folder}/results`],
    ]);
    assertEquals(
      [code, stdout, stderr],
      [1, "", `report: ${folder}/results holds no finished cell of the quick plan\n`],
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("reproduce and its report on cells of imported files that changed since: one line, exit 1, no stack", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_stale_cells_" });
  try {
    Deno.mkdirSync(`${folder}/data`);
    for (const file of ["tiny.inter", "tiny.item"]) {
      Deno.copyFileSync(`${root}tests/fixtures/byo/${file}`, `${folder}/data/${file}`);
    }
    const run = (...args: string[]) =>
      runDeno(
        [
          "run",
          ...taskPermissions(taskCommand("reproduce"), [folder]),
          taskCommand("reproduce").split(/\s+/).at(-1)!,
          ...["--quick", "--seeds=0", "--dataset", `${folder}/data/tiny`, "--format=recbole"],
          ...["--results", `${folder}/results`, ...args],
        ],
        {},
        ["DEMURE_BLAS_THREADS"],
      );
    const stored = await run("--cell=quick/tiny/Pop/seed=0");
    assertEquals(stored.code, 0, stored.stderr);
    // The cell prints its data's statistics itself: once, not again on reading --dataset.
    assertEquals(stored.stdout.split("dataset tiny\n").length, 2, stored.stdout);
    // One process, DEMURE_BLAS_THREADS unset: the cell ran on the core count, as the variable
    // says (only the processes of --workers 2 and more default to one thread each).
    const cell = JSON.parse(
      Deno.readTextFileSync(`${folder}/results/cells/quick__tiny__Pop__seed=0.json`),
    );
    assertEquals(
      JSON.stringify(cell).match(/"blasThreads":(\d+)/)?.[1],
      String(navigator.hardwareConcurrency),
    );
    // One more user: other data under the same path.
    const more = ["u99\ti00\t1", "u99\ti01\t2", "u99\ti02\t3", "u99\ti03\t4", "u99\ti04\t5"];
    Deno.writeTextFileSync(`${folder}/data/tiny.inter`, more.join("\n") + "\n", { append: true });
    // With workers too: the data is checked before they start (each would stop on it).
    const commands = [[["--report-only"], "report"], [["--workers=1"], "reproduce"], [
      ["--workers=2"],
      "reproduce",
    ]] as const;
    for (const [args, task] of commands) {
      const { code, stdout, stderr } = await run(...args);
      assertEquals(code, 1, stderr);
      assert(!stdout.includes("processes share"), stdout);
      assert(stderr.startsWith(`${task}: ${folder}/results/cells/`), stderr);
      assertStringIncludes(stderr, "was computed on tiny: 48 users");
      assertEquals(stderr.trimEnd().split("\n").length, 1, stderr);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("reproduce --workers from outside the project folder without a deno.json there is one line naming the folder", async () => {
  // The workers' permissions are deno.json's where the run is (a records copy may carry one);
  // where there is none the run died on an uncaught NotFound (mutation round IB).
  const elsewhere = await Deno.makeTempDir({ prefix: "reproduce_elsewhere_" });
  try {
    const { code, stderr } = await reproduceIn(elsewhere, [
      "--quick",
      "--workers=2",
      "--results=r",
    ]);
    assertEquals(code, 2, stderr);
    assertEquals(
      stderr,
      `reproduce: worker processes (--workers) and folders outside the project take the ` +
        `reproduce task's permissions from deno.json, which the folder this run started in ` +
        `(${elsewhere}) does not hold: start it in the project folder; see --help\n`,
    );
    assertEquals([...Deno.readDirSync(`${elsewhere}/r`)].map((entry) => entry.name), ["plan.json"]);
  } finally {
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("reproduce: a run started again names only the folders added, not those its task allows", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_restart_note_" });
  try {
    Deno.copyFileSync(`${root}tests/fixtures/byo/tiny.txt`, `${folder}/tiny.txt`);
    const words = taskCommand("reproduce").split(/\s+/);
    // --results under ./results: the task writes there already, so it is not added (mutation
    // round IL, IL24: the line named it among the folders added). --list-cells writes nothing.
    const run = await runDeno([
      ...words.slice(words.indexOf("run")),
      ...["--list-cells", `--dataset=${folder}/tiny.txt`, "--format=sequence"],
      "--results=results/restart_note_test",
    ]);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(
      run.stderr,
      `reproduce: reads ${folder}/tiny.txt (--dataset): outside the project, so added to the ` +
        "reproduce task's permissions (docs/permissions.md)\n",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
