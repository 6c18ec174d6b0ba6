/**
 * The benchmark scripts' options, through their own command lines (`deno run -A bench/<script>`):
 * a misspelt option, a value out of range or not among the allowed ones is one line and exit 2
 * before any backend, training or file write (the old `--name=value` lookup ignored a typo such as
 * `--budgets=7` and ran hours of training with the default), and `--help` prints the options.
 */
import { assert, assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

/** Runs `bench/<script>.ts` with `args`. */
const runBench = (script: string, args: readonly string[]) => runScript(`bench/${script}.ts`, args);

/** The name a script's messages start with where it is not the file's: its `deno task`. */
const MESSAGE_NAMES: Record<string, string> = {
  demure_bench: "bench:demure",
  profile_sasrec_step: "profile",
};

/** How every refusal of `--seeds` ends (scripts/cli/seeds_option.ts), as reproduce's do. */
const ALLOWED_SEEDS = "allowed: distinct integers in 0..2^31-1, comma-separated";

/** Each case's exit code and stderr, which must be 2 and `<script>: <message>; see --help`. */
async function assertRefused(cases: readonly [string, string[], string][]) {
  // One at a time: a dozen module graphs loading at once on a loaded machine can take minutes.
  for (const [script, args, message] of cases) {
    const { code, stderr } = await runBench(script, args);
    const name = MESSAGE_NAMES[script] ?? script;
    assertEquals([code, stderr], [2, `${name}: ${message}; see --help\n`], `${script} ${args}`);
  }
}

Deno.test("selection_budget_check: a misspelt option, a bad budget or dataset is exit 2", async () => {
  await assertRefused([
    [
      "selection_budget_check",
      ["--budgets=7"],
      "Unknown option '--budgets' (options: --budget, --systems, --datasets, --results, --out, " +
      "--help/-h)",
    ],
    ["selection_budget_check", ["--budget=0"], "--budget 0: must be an integer in 1..12"],
    // More trials than the backbones' grid holds.
    ["selection_budget_check", ["--budget", "13"], "--budget 13: must be an integer in 1..12"],
    [
      "selection_budget_check",
      ["--datasets=Beauty"],
      '--datasets: "Beauty" is not one of Synthetic, MovieLens',
    ],
    [
      "selection_budget_check",
      ["--systems=SASRec-MM,SASRec"],
      '--systems: "SASRec" is not one of SASRec-ID, SASRec-MM, GRU4Rec-MM, CL4SRec-MM, ' +
      "Demure-SASRec, Demure-GRU4Rec",
    ],
  ]);
});

Deno.test("mask_schedule_check: a visit count that is not a positive integer is exit 2", async () => {
  await assertRefused([
    ["mask_schedule_check", ["--visits=x"], "--visits x: must be an integer in 1..1000"],
    ["mask_schedule_check", ["--visits=0"], "--visits 0: must be an integer in 1..1000"],
    [
      "mask_schedule_check",
      ["--visit=2"],
      "Unknown option '--visit' (options: --visits, --datasets, --systems, --results, --out, " +
      "--report-only, --help/-h)",
    ],
  ]);
});

Deno.test("the attribution-source checks: a source, seed or smoothing out of range is exit 2", async () => {
  await assertRefused([
    [
      "demure_training_pass_validation",
      ["--source=bogus"],
      "--source bogus: must be one of auto, separate_pass, training_pass",
    ],
    [
      "demure_training_pass_validation",
      ["--smoothing=0"],
      "--smoothing 0: must be a number in (0, 1]",
    ],
    [
      "demure_training_pass_validation",
      ["--seeds=0,0"],
      `--seeds 0,0: 0 given twice; ${ALLOWED_SEEDS}`,
    ],
    [
      "demure_training_pass_validation",
      ["--seeds=0,7"],
      "--seeds 7: no recorded Demure-SASRec cell of Synthetic at that seed (recorded: 0, 1, 2, 3, 4)",
    ],
    [
      "demure_attribution_source_auc",
      ["--seed=9"],
      "--seed 9: no recorded Demure-SASRec cell of Synthetic at that seed (recorded: 0, 1, 2, 3, 4)",
    ],
  ]);
});

Deno.test("the step and memory probes: a step or epoch count out of range is exit 2", async () => {
  await assertRefused([
    ["demure_step_probe", ["--steps=x"], "--steps x: must be an integer in 1..10000"],
    ["profile_sasrec_step", ["--steps=0"], "--steps 0: must be an integer in 1..10000"],
    ["peak_memory", ["--epochs=0"], "--epochs 0: must be an integer in 1..1000"],
    // A misspelt workload ran MovieLens's when the choice was not checked (mutation round ID).
    ["peak_memory", ["--workload=beuaty"], "--workload beuaty: must be one of movielens, beauty"],
    ["ig_completeness_check", ["--epochs=0"], "--epochs 0: must be an integer in 1..1000"],
  ]);
});

Deno.test("cl4srec_diagnosis: an unknown variant, or a seed without a record, is exit 2", async () => {
  await assertRefused([
    [
      "cl4srec_diagnosis",
      ["--variants=recorded,dot"],
      '--variants: "dot" is not one of recorded, crop, mask, reorder, cosine-0.5, cosine-0.1, ' +
      "weight-0.01",
    ],
    [
      "cl4srec_diagnosis",
      ["--dataset=MovieLens", "--seeds=7"],
      "no recorded CL4SRec-MM cell for --dataset MovieLens --seeds 7; recorded: MovieLens seed 0, " +
      "MovieLens seed 1, MovieLens seed 2, MovieLens seed 3, MovieLens seed 4, Synthetic seed 0, " +
      "Synthetic seed 1, Synthetic seed 2, Synthetic seed 3, Synthetic seed 4",
    ],
  ]);
});

Deno.test("the bounds of every benchmark count are checked at both ends", async () => {
  // Each bound refused nowhere else (mutation round L): a bound moved by one stayed unnoticed.
  // [script, option, value, allowed]; demure_bench needs two epochs (the first pays the set-up).
  const bounds: [string, string, string, string][] = [
    ["demure_bench", "epochs", "1", "an integer in 2..1000"],
    ["demure_bench", "warmup-steps", "-1", "an integer in 0..100000"],
    ["demure_source_step_probe", "steps", "0", "an integer in 1..10000"],
    ["demure_step_probe", "steps", "10001", "an integer in 1..10000"],
    ["recbole_import_memory", "lines", "0", "an integer in 1..100000000"],
    ["recbole_import_memory", "users", "0", "an integer in 1..10000000"],
    ["recbole_import_memory", "items", "0", "an integer in 1..10000000"],
    // The upper ends too (mutation round ID): a bound moved past them went unnoticed.
    ["recbole_import_memory", "lines", "100000001", "an integer in 1..100000000"],
    ["recbole_import_memory", "users", "10000001", "an integer in 1..10000000"],
    ["recbole_import_memory", "items", "10000001", "an integer in 1..10000000"],
    ["cl4srec_diagnosis", "maxEpochs", "-1", "an integer in 0..1000"],
    ["demure_attribution_source_auc", "epochs", "0", "an integer in 1..1000"],
    ["demure_attribution_source_auc", "routeEpochs", "0", "an integer in 1..1000"],
    ["demure_attribution_source_auc", "smoothing", "0", "a number in (0, 1]"],
    ["demure_training_pass_validation", "smoothing", "1.5", "a number in (0, 1]"],
    ["demure_training_pass_validation", "maxEpochs", "1001", "an integer in 0..1000"],
    ["mask_schedule_check", "visits", "1001", "an integer in 1..1000"],
    ["peak_memory", "epochs", "1001", "an integer in 1..1000"],
    ["ig_completeness_check", "epochs", "1001", "an integer in 1..1000"],
  ];
  await assertRefused([
    ...bounds.map(([script, option, value, allowed]): [string, string[], string] => [
      script,
      [`--${option}=${value}`],
      `--${option} ${value}: must be ${allowed}`,
    ]),
    ["cl4srec_diagnosis", ["--seeds=1,1"], `--seeds 1,1: 1 given twice; ${ALLOWED_SEEDS}`],
  ]);
});

Deno.test("every benchmark script that is run prints its options with --help", async () => {
  const scripts = [
    "blas_ceiling",
    "cl4srec_diagnosis",
    "demure_attribution_source_auc",
    "demure_bench",
    "demure_source_step_probe",
    "demure_step_probe",
    "demure_training_pass_validation",
    "denoising_choice_check",
    "ig_completeness_check",
    "mask_schedule_check",
    "peak_memory",
    "profile_sasrec_step",
    "recbole_import_memory",
    "selection_budget_check",
    "wasm_exp_check",
  ];
  for (const script of scripts) {
    const { code, stdout, stderr } = await runBench(script, ["--help"]);
    assertEquals([code, stderr], [0, ""], script);
    assert(stdout.startsWith("usage: "), `${script}: ${stdout}`);
  }
});

Deno.test("a benchmark run as a deno task names the task in its usage", async () => {
  // profile's --help said `deno run -A bench/profile_sasrec_step.ts`, its errors
  // `profile_sasrec_step:`, where bench:demure's speak in the task's terms.
  for (const [script, task] of Object.entries(MESSAGE_NAMES)) {
    const { code, stdout } = await runBench(script, ["--help"]);
    assertEquals(code, 0, script);
    assert(stdout.startsWith(`usage: deno task ${task} [`), `${script}: ${stdout}`);
  }
});

Deno.test("the benchmarks' --results: a file is exit 2, not a stack", async () => {
  // Each stopped at its first mkdir inside it with an uncaught NotADirectory and a stack.
  await assertRefused(
    ["mask_schedule_check", "selection_budget_check", "denoising_choice_check"].map((
      script,
    ): [string, string[], string] => [
      script,
      ["--results=README.md"],
      "--results README.md: not a folder",
    ]),
  );
});

Deno.test("blas_ceiling: -h prints its usage and any option is refused", async () => {
  // It takes no options (mutation round ID): -h is --help, anything else exit 2.
  const { code, stdout } = await runBench("blas_ceiling", ["-h"]);
  assertEquals(code, 0);
  assert(stdout.startsWith("usage: deno run -A bench/blas_ceiling.ts (no options"), stdout);
  await assertRefused([
    ["blas_ceiling", ["--threads=4"], "Unknown option '--threads' (options: --help/-h)"],
  ]);
});
