/**
 * `bench/selection_budget_check.ts`'s option parsing, in-process (mutation round HA): its defaults
 * and the budget's bounds, which are reached without training only here (the command-line tests
 * see the refusals, not what is accepted).
 */
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { UsageError } from "../../scripts/cli/options.ts";
import {
  budgetChoicesOf,
  checkedOptions,
  choiceOf,
  type TrialRun,
} from "../../bench/selection_budget_check.ts";
import type { CellResult, SelectedConfiguration } from "../../lib/experiments/mod.ts";

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

// budgetChoicesOf and choiceOf (mutation round ID): which rows restart after a changed backbone,
// which run at every seed, and which trial a row reports as chosen; they had no test at all.

/** A selected configuration of trial `trial` (the other fields are not read here). */
const pick = (trial: number): SelectedConfiguration => ({ trial, config: {}, valid: 0, trials: 5 });

/** The records chose trial 0 of SASRec-MM and Demure-SASRec on Synthetic, trial 1 on MovieLens. */
const records = {
  selected: {
    Synthetic: { "SASRec-MM": pick(0), "Demure-SASRec": pick(0), "CL4SRec-MM": pick(0) },
    MovieLens: { "SASRec-MM": pick(1), "Demure-SASRec": pick(1) },
  },
};

Deno.test("budgetChoicesOf: a choice changed only where the larger budget chose another trial", () => {
  const choices = budgetChoicesOf({ systems: ["SASRec-MM"], records }, {
    Synthetic: { "SASRec-MM": pick(3) },
    MovieLens: { "SASRec-MM": pick(1) },
  });
  assertEquals(choices.followed("Synthetic", "SASRec-MM"), true);
  // The same trial as the records': not followed.
  assertEquals(choices.followed("MovieLens", "SASRec-MM"), false);
  // Nothing chosen (yet) for a system or a dataset: not changed, and no error.
  assertEquals(choices.followed("Synthetic", "Demure-SASRec"), false);
  assertEquals(choices.followed("Beauty", "SASRec-MM"), false);
  // A backbone is never "after a backbone".
  assertEquals(choices.afterBackbone("Synthetic", "SASRec-MM"), false);
});

Deno.test("budgetChoicesOf: a choice the records lack (their dataset or system) is a change", () => {
  const choices = budgetChoicesOf({ systems: ["GRU4Rec-MM"], records }, {
    Synthetic: { "GRU4Rec-MM": pick(0) },
    Beauty: { "GRU4Rec-MM": pick(0) },
  });
  assertEquals(choices.followed("Synthetic", "GRU4Rec-MM"), true);
  assertEquals(choices.followed("Beauty", "GRU4Rec-MM"), true);
});

Deno.test("budgetChoicesOf: a checked follower restarts only after its own checked backbone changed", () => {
  const selected = {
    Synthetic: { "SASRec-MM": pick(2), "Demure-SASRec": pick(0) },
    MovieLens: { "SASRec-MM": pick(1), "Demure-SASRec": pick(1) },
  };
  const both = budgetChoicesOf({ systems: ["SASRec-MM", "Demure-SASRec"], records }, selected);
  // SASRec-MM changed on Synthetic: Demure-SASRec restarts there and runs at every seed, though
  // its own choice (trial 0) is the records' trial number.
  assertEquals(both.afterBackbone("Synthetic", "Demure-SASRec"), true);
  assertEquals(both.followed("Synthetic", "Demure-SASRec"), true);
  // SASRec-MM kept its choice on MovieLens: nothing restarts, nothing is followed.
  assertEquals(both.afterBackbone("MovieLens", "Demure-SASRec"), false);
  assertEquals(both.followed("MovieLens", "Demure-SASRec"), false);
  // A follower that is not checked (CL4SRec-MM) does not restart, even after its changed backbone.
  assertEquals(both.afterBackbone("Synthetic", "CL4SRec-MM"), false);
  assertEquals(both.followed("Synthetic", "CL4SRec-MM"), false);
  // A backbone that is not checked does not restart its follower, even where its choice differs.
  const demureOnly = budgetChoicesOf({ systems: ["Demure-SASRec"], records }, selected);
  assertEquals(demureOnly.afterBackbone("Synthetic", "Demure-SASRec"), false);
  assertEquals(demureOnly.followed("Synthetic", "Demure-SASRec"), false);
  // A changed follower whose backbone kept its choice is followed, but does not restart.
  const changedFollower = budgetChoicesOf({ systems: ["SASRec-MM", "Demure-SASRec"], records }, {
    Synthetic: { "SASRec-MM": pick(0), "Demure-SASRec": pick(4) },
  });
  assertEquals(changedFollower.afterBackbone("Synthetic", "Demure-SASRec"), false);
  assertEquals(changedFollower.followed("Synthetic", "Demure-SASRec"), true);
});

/** A run of trial `index` with validation and test NDCG@10 `valid` and `test`. */
const run = (index: number, valid: number, test: number): TrialRun => ({
  trial: { index, config: {} },
  valid,
  result: { valid: { "NDCG@10": valid }, test: { "NDCG@10": test } } as unknown as CellResult,
});

Deno.test("choiceOf: the best validation NDCG@10 (ties: lower index), with that trial's own test", () => {
  // Trial 1 has the best test but not the best validation: test never chooses.
  assertEquals(choiceOf([run(0, 0.2, 0.25), run(1, 0.1, 0.9), run(2, 0.3, 0.35)]), {
    trial: 2,
    valid: 0.3,
    test: 0.35,
  });
  // Runs not in index order (a restarted follower's, the records' among them): the chosen
  // trial's test is its own, not the one at its index's position.
  assertEquals(choiceOf([run(3, 0.1, 0.13), run(1, 0.4, 0.41), run(0, 0.4, 0.42)]), {
    trial: 0,
    valid: 0.4,
    test: 0.42,
  });
  assertEquals(choiceOf([run(4, 0.5, 0.55), run(7, 0.2, 0.22)]), {
    trial: 4,
    valid: 0.5,
    test: 0.55,
  });
  // A tie with the lower index first: still the lower index, not the later run.
  assertEquals(choiceOf([run(0, 0.3, 0.31), run(1, 0.3, 0.32)]), {
    trial: 0,
    valid: 0.3,
    test: 0.31,
  });
});

Deno.test("selection_budget_check: the budget's bound is the plan's fewest trials, whichever systems are checked", () => {
  // Demure-SASRec alone has 289 distinct trials, but the larger plan gives the budget to every
  // selected system, and the backbones have 12 (mutation round ID: a bound over the checked
  // systems only accepted 13, which the plan then refused after the option check).
  assertThrows(
    () => checkedOptions(["--systems=Demure-SASRec", "--budget=13"]),
    UsageError,
    "--budget 13: must be an integer in 1..12",
  );
});
