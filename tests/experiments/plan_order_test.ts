/**
 * A cell's index in the plan is its address: `--cell N`, a Slurm array task and a Kubernetes job
 * name it, and a run stopped part-way resumes from the rest. So a change may add cells only after
 * every existing one, and a cell's key must not depend on the selection (keys name result files).
 * `tests/fixtures/plan_cell_keys.json` holds both modes' keys as of 2026-12-04; a deliberate
 * reordering rewrites it and says so.
 */
import { assert, assertEquals } from "@std/assert";
import { type ExperimentMode, planExperiments, readSelected } from "../../lib/experiments/mod.ts";

const recorded: Record<ExperimentMode, string[]> = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/plan_cell_keys.json", import.meta.url)),
);
const selected = readSelected("results-of-record/full/selected.json");
assert(Object.keys(selected).length > 0, "the recorded selection is missing");

for (const mode of ["quick", "full"] as const) {
  Deno.test(`plan (${mode}): the recorded cells keep their indices, with or without a selection`, () => {
    for (const options of [{}, { selected }]) {
      const keys = planExperiments(mode, undefined, options).cells.map((cell) => cell.key);
      assertEquals(keys.slice(0, recorded[mode].length), recorded[mode]);
      assertEquals(new Set(keys).size, keys.length);
    }
  });
}
