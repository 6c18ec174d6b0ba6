/**
 * `bench/selection_budget_check.ts`'s option parsing, in-process (mutation round HA): its defaults
 * and the budget's bounds, which are reached without training only here (the command-line tests
 * see the refusals, not what is accepted).
 */
import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { checkedOptions, usage } from "../../bench/selection_budget_check.ts";

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

Deno.test("selection_budget_check: --help states the defaults and the budget's bound the parser uses", () => {
  const defaults = checkedOptions([])!;
  // The bound as the parser enforces it: its refusal of a budget past any grid names the range.
  const refusal = assertThrows(() => checkedOptions(["--budget=1000000"])).message;
  assertMatch(refusal, /must be an integer in 1\.\.[0-9]+$/);
  const most = refusal.slice(refusal.lastIndexOf(".") + 1);
  const text = usage();
  assertStringIncludes(text, `(default ${defaults.budget}; at most ${most}, the backbones' grid)`);
  assertStringIncludes(text, `(default ${defaults.systems.join(",")})`);
  assertStringIncludes(text, `(default ${defaults.datasets.join(",")})`);
  assertStringIncludes(text, `(default ${defaults.resultsDir})`);
});
