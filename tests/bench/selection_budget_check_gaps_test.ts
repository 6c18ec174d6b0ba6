/**
 * `bench/selection_budget_check.ts`'s option parsing, in-process (mutation round HA): its defaults
 * and the budget's bounds, which are reached without training only here (the command-line tests
 * see the refusals, not what is accepted).
 */
import { assertEquals, assertStrictEquals } from "@std/assert";
import { checkedOptions } from "../../bench/selection_budget_check.ts";

Deno.test("selection_budget_check: the defaults are budget 5 for SASRec-MM and Demure-SASRec on both datasets", () => {
  assertStrictEquals(checkedOptions(["-h"]), undefined);
  assertEquals(checkedOptions([]), {
    budget: 5,
    systems: ["SASRec-MM", "Demure-SASRec"],
    datasets: ["Synthetic", "MovieLens"],
    resultsDir: "results/selection-budget",
    out: undefined,
  });
});

Deno.test("selection_budget_check: a budget of 1 and of 12 (the backbones' grid) are accepted", () => {
  assertEquals(checkedOptions(["--budget=1", "--out=x.json"])!.budget, 1);
  assertEquals(checkedOptions(["--out=x.json"])!.out, "x.json");
  assertEquals(checkedOptions(["--budget=12", "--datasets=MovieLens"]), {
    budget: 12,
    systems: ["SASRec-MM", "Demure-SASRec"],
    datasets: ["MovieLens"],
    resultsDir: "results/selection-budget",
    out: undefined,
  });
});
