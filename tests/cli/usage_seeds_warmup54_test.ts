/**
 * The usages of reproduce and of the cluster routes that pass its flags on say the same of
 * `--seeds` (which seeds, their range, the default), and reproduce's states the shortest
 * `--max-epochs` its Demure cells are not refused at. Until session 54 `deno task slurm --help`
 * and `deno task kubernetes --help` said "--seeds 0,1   other seeds", and reproduce's --help
 * said nothing of the warm-up that refuses `--quick --max-epochs=2` on a file of one batch an
 * epoch.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { USAGE } from "../../scripts/reproduce_options.ts";
import { reproduceTask } from "../../scripts/cluster/submission.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { PLAN_WARMUP_STEPS } from "../../lib/experiments/plan_warmup.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import type { DatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { runScript } from "./_run_script.ts";

/** `text` with each run of white space one blank: entries wrap where they like. */
const flat = (text: string) => text.replace(/\s+/g, " ");

/** The fixture of one batch an epoch (48 users), as `--dataset` names it. */
const tiny: DatasetSpec = { kind: "file", path: "tests/fixtures/byo/tiny.txt", format: "sequence" };

Deno.test("--help of slurm and kubernetes: --seeds says reproduce's range and the plan's default seeds", async () => {
  const [full, quick] = [planExperiments("full").seeds, planExperiments("quick").seeds];
  const entry = "--seeds 0,1 other seeds: distinct integers in 0..2^31-1, comma-separated " +
    `(default: the mode's, full ${full.join(",")}, quick ${quick.join(",")}; quick MovieLens ` +
    "runs the first alone";
  // Reproduce's own entry goes on about its verification, which the routes do not run.
  assertStringIncludes(flat(USAGE), `${entry}; the verification reruns the first)`);
  for (const script of ["scripts/slurm/submit.ts", "scripts/kubernetes/generate.ts"]) {
    const help = await runScript(script, ["--help"]);
    assertEquals(help.code, 0, help.stderr);
    assertStringIncludes(flat(help.stdout), `${entry}) --`, script);
  }
});

Deno.test("reproduce --help: the warm-up --max-epochs must outlast is the one the plan's Demure cells have", () => {
  for (const mode of ["full", "quick"] as const) {
    const demure = planExperiments(mode, undefined, { dataset: tiny }).cells
      .flatMap(({ system }) => system.kind === "neural" && system.demure ? [system.demure] : [])
      .map((config) => resolveDemureConfig(config));
    assertEquals(demure.length > 0, true, mode);
    assertEquals(new Set(demure.map((config) => config.warmupBy)), new Set(["steps"]), mode);
    assertEquals(
      new Set(demure.map((config) => config.warmupSteps)),
      new Set([PLAN_WARMUP_STEPS[mode]]),
      mode,
    );
  }
  assertStringIncludes(
    flat(USAGE),
    "--max-epochs x the file's batches an epoch must exceed Demure's warm-up of " +
      `${PLAN_WARMUP_STEPS.full} steps, quick ${PLAN_WARMUP_STEPS.quick}, or the run is refused`,
  );
});

Deno.test("reproduce --max-epochs: refused at the warm-up's steps, taken one above (a file of one batch an epoch)", async () => {
  for (const mode of ["quick", "full"] as const) {
    const steps = PLAN_WARMUP_STEPS[mode];
    const run = (maxEpochs: number) =>
      runScript(
        "scripts/reproduce.ts",
        [
          ...(mode === "quick" ? ["--quick"] : []),
          ...["--list-cells", "--json", `--max-epochs=${maxEpochs}`, "--seeds=0"],
          ...[`--dataset=${tiny.path}`, "--format=sequence"],
        ],
        taskPermissions(reproduceTask(), []),
      );
    const refused = await run(steps);
    assertEquals(refused.code, 2, `${mode}: ${refused.stderr}`);
    assertStringIncludes(
      refused.stderr,
      `reproduce: DemureConfig.warmupSteps is ${steps}; allowed: an integer below the run's ` +
        `${steps} training steps (TrainerConfig.maxEpochs ${steps} x 1 batch an epoch)`,
    );
    assertStringIncludes(refused.stderr, "(on the command line: a larger --max-epochs)");
    const taken = await run(steps + 1);
    assertEquals(taken.code, 0, `${mode}: ${taken.stderr}`);
  }
});
