/**
 * What the plan's settings per size (lib/experiments/_plan_settings.ts) state that no cell shows,
 * pinned where mutation round JG found no test: the budget the report's table prints for a
 * dataset without any selection.
 */
import { assertEquals } from "@std/assert";
import { planExperiments } from "../../lib/experiments/plan.ts";

Deno.test("quick plan: MovieLens selects nothing, on a budget of 1 trial, as its report states", () => {
  // Found by mutation round JG (JG11): no cell of the quick plan runs a MovieLens trial, so a
  // budget of 2 changed no cell; the summary's budget table (summary.ts, `budgets`) prints it.
  const { synthetic, movielens } = planExperiments("quick").datasets;
  assertEquals([synthetic.trials, synthetic.selected], [2, ["SASRec-MM", "Demure-SASRec"]]);
  assertEquals([movielens.trials, movielens.selected], [1, []]);
});

Deno.test("quick plan: every neural cell stops at 3 epochs with patience 3, on both datasets", () => {
  // Found by mutation round MD (MD02, MD08): no quick MovieLens cell has a record, so its
  // patience (3, which with a cap of 3 epochs never stops a run early) was unpinned; the cells'
  // training settings are part of what a stored cell is compared against (a change makes every
  // stored quick cell stale).
  const stopping = new Set(
    planExperiments("quick").cells.filter((c) => c.system.kind === "neural").map((c) =>
      `${c.dataset.kind}: ${c.training.maxEpochs}/${c.training.patience}`
    ),
  );
  assertEquals([...stopping].sort(), ["movielens: 3/3", "synthetic: 3/3"]);
});
