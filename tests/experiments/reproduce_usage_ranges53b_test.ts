/**
 * `deno task reproduce --help` states each option's allowed values and default, as the plan and
 * the option checks take them (docs/configuration.md, "Command lines"). Until session 53 the entry
 * of `--seeds` read "other seeds" (no range, no default: a researcher learnt the range from the
 * refusal and the default seeds nowhere), and `--first` named one of its two values.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { reproduceOptions, USAGE } from "../../scripts/reproduce_options.ts";
import { planExperiments, validateSeeds } from "../../lib/experiments/plan.ts";

/** {@linkcode USAGE} with each run of white space one blank: its entries wrap where they like. */
const usageText = () => USAGE.replace(/\s+/g, " ");

Deno.test("USAGE: --seeds states the range the plan checks", () => {
  assertStringIncludes(usageText(), "--seeds 0,1 other seeds: distinct integers in 0..2^31-1,");
  // The ends of the stated range are the plan's, and so is "distinct".
  validateSeeds([0, 2 ** 31 - 1]);
  for (const refused of [[-1], [2 ** 31], [1, 1]]) {
    assertThrows(() => validateSeeds(refused), Error, "plan seeds");
  }
});

Deno.test("USAGE: the default seeds --seeds states are the ones each mode plans", () => {
  const full = planExperiments("full");
  const quick = planExperiments("quick");
  assertEquals(full.datasets.movielens.seeds, full.datasets.synthetic.seeds);
  assertStringIncludes(
    usageText(),
    `(default: the mode's, full ${full.seeds.join(",")}, quick ${quick.seeds.join(",")}; ` +
      "quick MovieLens runs the first alone; the verification reruns the first)",
  );
  // "quick MovieLens runs the first alone": by default and with seeds asked for.
  assertEquals(quick.datasets.movielens.seeds, quick.seeds.slice(0, 1));
  assertEquals(planExperiments("quick", [3, 5]).datasets.movielens.seeds, [3]);
  assertEquals(planExperiments("full", [3, 5]).datasets.movielens.seeds, [3, 5]);
});

Deno.test("USAGE: --first names every value it takes", () => {
  const entry = usageText().match(/--first (\S+) run that dataset's cells first/);
  assert(entry, "USAGE has no --first entry");
  const values = entry[1].split("|");
  assertEquals(values, ["synthetic", "movielens"]);
  for (const value of values) {
    assertEquals(reproduceOptions(["--quick", `--first=${value}`]).firstDataset, value);
  }
});
