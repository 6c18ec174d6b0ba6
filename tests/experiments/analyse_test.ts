import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  coldStartBuckets,
  coldStartGap,
  comparePaired,
  compareWithStrongestBaseline,
  errorBarOf,
  meanStd,
  perUserOverSeeds,
  spreadOf,
  summariseAttribution,
  summariseSystems,
} from "../../lib/experiments/analyse.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { wilcoxonSignedRank } from "../../lib/eval/significance.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { analysedCell } from "./_analysed_cell.ts";
import { PER_USER_METRIC_STEPS } from "../../lib/experiments/_per_user_grid.ts";

const cell = analysedCell;

Deno.test("meanStd uses the sample standard deviation", () => {
  const { mean, std, n } = meanStd([1, 2, 3, 6]);
  assertEquals([mean, n], [3, 4]);
  assertAlmostEquals(std, Math.sqrt(14 / 3), 1e-12);
  assertEquals(meanStd([5]), { mean: 5, std: 0, n: 1 });
});

Deno.test("the strongest baseline is chosen on validation, never on test", () => {
  const cells = [
    // A is better on test, B on validation: B must be chosen.
    cell("A", 0, 0.1, [0.9, 0.9, 0.9, 0.9]),
    cell("B", 0, 0.2, [0.1, 0.2, 0.1, 0.2]),
    cell("Ours", 0, 0.3, [0.3, 0.4, 0.3, 0.5]),
  ];
  const result = compareWithStrongestBaseline(cells, "D", "Ours", ["A", "B"]);
  assertEquals(result?.baseline, "B");
  assertAlmostEquals(result?.tTest.meanDifference ?? NaN, 0.225, 1e-12);
});

Deno.test("per-user values are averaged over seeds, user by user", () => {
  const cells = [cell("S", 0, 0, [0, 1]), cell("S", 1, 0, [1, 1])];
  assertEquals([...perUserOverSeeds(cells, "D", "S", "NDCG@10")], [[0, 0.5], [1, 1]]);
});

Deno.test("a user one seed's run did not score is an error, not a 0 in the mean", () => {
  // Seed 1 scored user 0 only: averaged as before, user 1 would read (1 + 0) / 2 = 0.5.
  const cells = [cell("S", 0, 0, [0, 1]), cell("S", 1, 0, [1])];
  assertThrows(
    () => perUserOverSeeds(cells, "D", "S", "NDCG@10"),
    Error,
    "D/S: user 1 is scored by the runs of seeds 0 only, of 0, 1",
  );
  // A diverged run scored nobody: named as such, not as a user mismatch.
  assertThrows(
    () => perUserOverSeeds([cell("S", 0, 0, [0, 1]), cell("S", 1, 0, [])], "D", "S", "NDCG@10"),
    Error,
    "D/S: the runs of seeds 1 scored no user (diverged)",
  );
});

Deno.test("comparePaired adds a t-test paired by seed over the seeds both systems finished", () => {
  // Seed means: A 0.5, 0.3, 0.4; B 0.2, 0.35, 0.1 and a seed 3 that A lacks (left out).
  // Differences 0.3, -0.05, 0.3: mean 0.18333, sample sd 0.20207, t = 1.5714 with 2 degrees of
  // freedom, whose two-sided p is 1 - t / sqrt(t^2 + 2) = 0.2567.
  const cells = [
    cell("A", 0, 0, [0.5, 0.5]),
    cell("A", 1, 0, [0.2, 0.4]),
    cell("A", 2, 0, [0.4, 0.4]),
    cell("B", 0, 0, [0.2, 0.2]),
    cell("B", 1, 0, [0.3, 0.4]),
    cell("B", 2, 0, [0.1, 0.1]),
    cell("B", 3, 0, [0.9, 0.9]),
  ];
  const bySeed = comparePaired(cells, "D", "A", "B")!.bySeed!;
  assertEquals([bySeed.n, bySeed.ahead, bySeed.tied], [3, 2, 0]);
  assertAlmostEquals(bySeed.meanDifference, 0.55 / 3, 1e-12);
  const t = (0.55 / 3) / (Math.sqrt(0.245 / 6) / Math.sqrt(3));
  assertAlmostEquals(bySeed.statistic, t, 1e-9);
  assertAlmostEquals(bySeed.pValue, 1 - t / Math.sqrt(t * t + 2), 1e-6);
  // Two shared seeds (0 and 1), the fewest a test by seed takes: differences 0.3 and -0.05, mean
  // 0.125, standard error 0.175, t = 0.714286 with 1 degree of freedom (Cauchy): p = 1 - (2 / pi)
  // atan(t) = 0.605137.
  const twoSeeds = comparePaired([0, 1, 3, 4].map((i) => cells[i]), "D", "A", "B")!.bySeed!;
  assertEquals([twoSeeds.n, twoSeeds.ahead], [2, 1]);
  assertAlmostEquals(twoSeeds.statistic, 0.125 / 0.175, 1e-9);
  assertAlmostEquals(twoSeeds.pValue, 1 - (2 / Math.PI) * Math.atan(0.125 / 0.175), 1e-9);
  // One shared seed: no test by seed (the tests over users still run).
  const oneSeed = comparePaired([cells[0], cells[3]], "D", "A", "B")!;
  assertEquals(oneSeed.bySeed, undefined);
  assertEquals(oneSeed.tTest.n, 2);
});

Deno.test("comparePaired: the tests over users average both systems over the seeds both finished", () => {
  // B's seed 3, which A lacks, scores 0.9 for every user: averaged in, it would raise B's per-user
  // means from 0.25 and 0.3 to 0.467 and 0.5 and turn A's lead (0.35, 0.45) into a deficit.
  const cells = [
    cell("A", 0, 0, [0.5, 0.5]),
    cell("A", 1, 0, [0.2, 0.4]),
    cell("B", 0, 0, [0.2, 0.2]),
    cell("B", 1, 0, [0.3, 0.4]),
    cell("B", 3, 0, [0.9, 0.9]),
  ];
  const all = comparePaired(cells, "D", "A", "B")!;
  const sharedOnly = comparePaired(cells.slice(0, 4), "D", "A", "B")!;
  assertEquals(all.tTest, sharedOnly.tTest);
  assertEquals(all.wilcoxon, sharedOnly.wilcoxon);
  assertAlmostEquals(all.tTest.meanDifference, 0.125, 1e-12);
  assertEquals(comparePaired([cells[0], cells[4]], "D", "A", "B"), undefined, "no shared seed");
  // One user in common: too few for a paired test over users (a t-test of one difference has no
  // spread), so no result at all.
  const oneUser = [cell("A", 0, 0, [0.5]), cell("B", 0, 0, [0.2])];
  assertEquals(comparePaired(oneUser, "D", "A", "B"), undefined, "one user");
});

Deno.test("comparePaired: a seed only the system finished is left out of the tests over users", () => {
  // The mirror of the test above: A's seed 4, which B lacks, scores 0.9 for every user. Averaged
  // in, A's per-user means would rise from 0.35 and 0.45 to 0.533 and 0.6.
  const cells = [
    cell("A", 0, 0, [0.5, 0.5]),
    cell("A", 1, 0, [0.2, 0.4]),
    cell("A", 4, 0, [0.9, 0.9]),
    cell("B", 0, 0, [0.2, 0.2]),
    cell("B", 1, 0, [0.3, 0.4]),
  ];
  const all = comparePaired(cells, "D", "A", "B")!;
  // Per-user differences over seeds 0 and 1: 0.35 - 0.25 = 0.1 and 0.45 - 0.3 = 0.15.
  assertAlmostEquals(all.tTest.meanDifference, 0.125, 1e-12);
  assertEquals(all.tTest, comparePaired([0, 1, 3, 4].map((i) => cells[i]), "D", "A", "B")!.tTest);
});

Deno.test("comparePaired by seed: a tie at a seed is not a seed the system is ahead", () => {
  // Seed means A 0.5, 0.6, 0.3 against B 0.5, 0.4, 0.4: ahead at seed 1 only (seed 0 is a tie).
  const cells = [
    cell("A", 0, 0, [0.5, 0.5]),
    cell("A", 1, 0, [0.6, 0.6]),
    cell("A", 2, 0, [0.3, 0.3]),
    cell("B", 0, 0, [0.5, 0.5]),
    cell("B", 1, 0, [0.4, 0.4]),
    cell("B", 2, 0, [0.4, 0.4]),
  ];
  const bySeed = comparePaired(cells, "D", "A", "B")!.bySeed!;
  assertEquals([bySeed.n, bySeed.ahead], [3, 1]);
});

Deno.test("cold-start buckets group test users by their test item's training count", () => {
  const split = leaveOneOut(tinyDataset(), 4);
  // Training counts of items 0..5 in the fixture's train prefixes.
  const counts = new Array(6).fill(0);
  split.train.forEach((items) => items.forEach((i) => counts[i]++));
  const cells = [cell("S", 0, 0, [0.25, 0.5, 0.75, 1])];
  const buckets = coldStartBuckets(cells, "D", split, ["S"], [[0, 1], [2, Infinity]]);
  const expectedUsers = [0, 1].map((k) =>
    [0, 1, 2, 3].filter((u) => {
      const c = counts[split.testTarget[u]];
      return k === 0 ? c <= 1 : c >= 2;
    })
  );
  assertEquals(buckets.map((b) => b.users), expectedUsers.map((u) => u.length));
  const perUser = [0.25, 0.5, 0.75, 1];
  buckets.forEach((bucket, k) => {
    const users = expectedUsers[k];
    const mean = users.reduce((s, u) => s + perUser[u], 0) / Math.max(1, users.length);
    assertAlmostEquals(bucket.bySystem["S"]["NDCG@10"], mean, 1e-12);
  });
});

Deno.test("cold-start buckets: an empty bucket and an unscored user are missing, never 0", () => {
  const split = leaveOneOut(tinyDataset(), 4);
  // Scored users 0-2 only: user 3 is in some bucket but has no value.
  const partial = { ...cell("P", 0, 0, [0.25, 0.5, 0.75]), users: [0, 1, 2] };
  const buckets = coldStartBuckets(
    [cell("S", 0, 0, [0.25, 0.5, 0.75, 1]), partial],
    "D",
    split,
    ["S", "P"],
    [[0, Infinity], [1000, 2000]],
  );
  const [all, empty] = buckets;
  assertEquals(all.users, 4);
  assertAlmostEquals(all.bySystem["S"]["NDCG@10"], 0.625, 1e-12);
  // Filling user 3 with 0 gave P 0.375 here: a number of a bucket P did not score.
  assertEquals(Number.isNaN(all.bySystem["P"]["NDCG@10"]), true);
  assertEquals(Number.isNaN(all.bySystem["P"]["HR@10"]), true);
  assertEquals(all.unscored, { P: 1 });
  // No user: the mean is undefined, not 0.
  assertEquals(empty.users, 0);
  assertEquals(Object.values(empty.bySystem).flatMap((m) => Object.values(m)).map(Number.isNaN), [
    true,
    true,
    true,
    true,
  ]);
  assertEquals(empty.unscored, undefined);
});

Deno.test("cold-start buckets: a system without cells is absent (no cells), not unscored", () => {
  const split = leaveOneOut(tinyDataset(), 4);
  const [bucket] = coldStartBuckets(
    [cell("S", 0, 0, [0.25, 0.5, 0.75, 1])],
    "D",
    split,
    ["S", "Missing"],
    [[0, Infinity]],
  );
  assertEquals(Object.keys(bucket.bySystem), ["S"]);
  assertEquals(bucket.unscored, undefined);
  assertEquals(coldStartGap(bucket, "Missing"), "Missing has no cells");
  assertEquals(coldStartGap(bucket, "S"), undefined);
});

Deno.test("ResultStore resumes finished cells, reruns changed ones, rejects a corrupt one", () => {
  const directory = Deno.makeTempDirSync();
  const store = new ResultStore(directory);
  const settings = { lambda: 0.1 };
  assertEquals(store.get("a/b c/seed=0", settings), undefined);
  store.put("a/b c/seed=0", settings, { value: 1 });
  assertEquals(new ResultStore(directory).get("a/b c/seed=0", { lambda: 0.1 }), { value: 1 });
  assertEquals(store.get("a/b c/seed=0", { lambda: 0.5 }), undefined, "other settings: rerun");
  assertEquals([...Deno.readDirSync(directory)].length, 1, "no temporary file left behind");
  Deno.writeTextFileSync(store.pathOf("broken"), "{not json");
  assertThrows(() => store.get("broken", settings), Error, "unreadable cell result");
  Deno.removeSync(directory, { recursive: true });
});

Deno.test("ResultStore claims: one holder at a time, released, a dead process's claim taken over", async () => {
  const directory = Deno.makeTempDirSync();
  const store = new ResultStore(directory);
  assertEquals(store.claim("a/b/seed=0"), undefined, "first claim succeeds");
  const holder = new ResultStore(directory).claim("a/b/seed=0");
  assertEquals(holder?.pid, Deno.pid, "a second claim names the live holder");
  store.release("a/b/seed=0");
  assertEquals(store.claim("a/b/seed=0"), undefined, "released: can be claimed again");
  store.release("a/b/seed=0");
  const exited = await new Deno.Command(Deno.execPath(), { args: ["--version"], stdout: "null" })
    .spawn();
  await exited.status;
  Deno.writeTextFileSync(
    store.claimPathOf("a/c/seed=0"),
    JSON.stringify({ pid: exited.pid, hostname: Deno.hostname(), since: "then" }),
  );
  assertEquals(store.claim("a/c/seed=0"), undefined, "a dead process's claim is taken over");
  const taken = JSON.parse(Deno.readTextFileSync(store.claimPathOf("a/c/seed=0")));
  assertEquals(taken.pid, Deno.pid);
  Deno.writeTextFileSync(
    store.claimPathOf("a/d/seed=0"),
    JSON.stringify({ pid: exited.pid, hostname: "another-host", since: "then" }),
  );
  assertEquals(store.claim("a/d/seed=0")?.hostname, "another-host", "other hosts are not judged");
  store.release("a/c/seed=0");
  assertEquals(
    [...Deno.readDirSync(directory)].map((e) => e.name),
    ["a__d__seed=0.claim"],
    "only the other host's claim is left",
  );
  Deno.removeSync(directory, { recursive: true });
});

Deno.test("every cell trains with its dataset's stopping rule (cap and patience)", () => {
  const plan = planExperiments("full");
  for (const [kind, dataset] of Object.entries(plan.datasets)) {
    if (!plan.cells.some((c) => c.dataset.kind === kind)) continue;
    const stopping = new Set(
      plan.cells.filter((c) => c.dataset.kind === kind).map((c) =>
        `${c.training.maxEpochs}/${c.training.patience}`
      ),
    );
    assertEquals([...stopping], [`${dataset.maxEpochs}/${dataset.patience}`], kind);
  }
});

Deno.test("the plan has unique keys and a cell for every sweep value", () => {
  for (const mode of ["quick", "full"] as const) {
    const plan = planExperiments(mode);
    const keys = plan.cells.map((c) => c.key);
    assertEquals(new Set(keys).size, keys.length);
    // Every sweep value has a cell at each of the sweep's seeds (the plan's cells do not depend
    // on the selection).
    for (const [label, sweeps] of Object.entries(plan.sweeps)) {
      const kind = plan.cells.find((c) => c.datasetLabel === label)!.dataset.kind;
      const { sweepSeedCount, seeds } = plan.datasets[kind];
      for (const [parameter, values] of Object.entries(sweeps)) {
        for (const value of values) {
          const part = `/${label}/Demure-SASRec[${parameter}=${value}]/`;
          const found = keys.filter((k) => k.includes(part));
          assertEquals(found.length, Math.min(sweepSeedCount, seeds.length), part);
          assertEquals(found.length, mode === "full" ? 3 : 1, part);
        }
      }
    }
    // Every Demure-SASRec seed of the main synthetic table scores the attribution, except the
    // first once selected: that cell is the chosen selection trial itself (reused, not rerun).
    assertEquals(
      plan.cells.filter((c) => c.systemName === "Demure-SASRec" && c.scoreAttribution).length >=
        plan.seeds.length - 1,
      true,
    );
  }
});

Deno.test("spreadOf: the sample std from two values on, NaN (a table's '–') for one", () => {
  assertEquals(spreadOf(meanStd([0.2])), Number.NaN);
  assertAlmostEquals(spreadOf(meanStd([0.1, 0.3])), Math.SQRT2 / 10, 1e-12);
});

Deno.test("summariseAttribution: each method's quality over the attributed seeds, seeds ascending", () => {
  const quality = (rocAuc: number) => ({
    method: "occlusion" as const,
    rocAuc,
    precision: rocAuc / 2,
    recall: rocAuc / 4,
    userModalityRocAuc: rocAuc,
    units: 10,
    seconds: 1,
  });
  // Stored in another order than the seeds'; seed 1's run was not attributed.
  const cells = [
    { ...cell("S", 2, 0, [0.5, 0.5]), attribution: [quality(0.6)] },
    { ...cell("S", 1, 0, [0.5, 0.5]) },
    { ...cell("S", 0, 0, [0.5, 0.5]), attribution: [quality(0.8)] },
  ];
  const [occlusion] = summariseAttribution(cells, "D", "S");
  assertEquals(occlusion.seeds, [0, 2]);
  assertAlmostEquals(occlusion.rocAuc.mean, 0.7, 1e-12);
  assertEquals(occlusion.rocAuc.n, 2);
  assertAlmostEquals(occlusion.recall.mean, 0.175, 1e-12);
});

/** One cell per seed of `system`, `values[user][seed]` its per-user NDCG@10 (seeds 0-4). */
function seedCells(system: string, values: number[][]): CellResult[] {
  return [0, 1, 2, 3, 4].map((seed) => cell(system, seed, 0, values.map((user) => user[seed])));
}

Deno.test("comparePaired: the Wilcoxon test reads the stored grid, not the float noise of the means", () => {
  // User 0 is the records' case (Synthetic, RandomInputMasks-SASRec vs AttributionOnly-SASRec,
  // user 229): the same per-seed values in another seed order, whose means differ by 2.2e-16 and
  // counted as a loss. Users 1-3 each gain 0.1, whose float differences of means are 0.1,
  // 0.09999999999999998 and 0.10000000000000009: one tie, which was split into three ranks.
  const a = [[1, 1, 0.63093, 1, 1], [0.2, 0.2, 0.2, 0.2, 0.2], [0.5, 0.5, 0.5, 0.5, 0.5], [
    0.8,
    0.8,
    0.8,
    0.8,
    0.8,
  ]];
  const b = [[1, 1, 1, 0.63093, 1], [0.1, 0.1, 0.1, 0.1, 0.1], [0.4, 0.4, 0.4, 0.4, 0.4], [
    0.7,
    0.7,
    0.7,
    0.7,
    0.7,
  ]];
  const { wilcoxon } = comparePaired([...seedCells("A", a), ...seedCells("B", b)], "D", "A", "B")!;
  // What the exact grid gives: user 0 no difference, three tied gains.
  const exact = wilcoxonSignedRank([0, 1, 1, 1], [0, 0, 0, 0]);
  assertEquals([wilcoxon.n, wilcoxon.statistic, wilcoxon.pValue], [
    exact.n,
    exact.statistic,
    exact.pValue,
  ]);
  assertEquals(wilcoxon.n, 3);
});

Deno.test("comparePaired: the t-test over users reads the stored grid, not the float noise of the means", () => {
  // Users 0-1 have the same per-seed values in another seed order (user 0 is the records' user
  // 229, Synthetic, RandomInputMasks-SASRec vs AttributionOnly-SASRec): no difference, though the
  // float means differ by 2.2e-16 for user 0. At face value that lone 2.2e-16 was the only spread:
  // mean difference -1.1e-16 ("-0.0000"), t = -1, p = 0.5 for "no difference at all".
  const same = comparePaired(
    [0, 1, 2, 3, 4].flatMap((seed) => [
      cell("A", seed, 0, [[1, 1, 0.63093, 1, 1][seed], [0.5, 0.2, 0.5, 0.5, 0.5][seed]]),
      cell("B", seed, 0, [[1, 1, 1, 0.63093, 1][seed], [0.2, 0.5, 0.5, 0.5, 0.5][seed]]),
    ]),
    "D",
    "A",
    "B",
  )!.tTest;
  assertEquals([same.meanDifference, same.statistic, same.pValue], [0, 0, 1]);
  // Three users who each gain exactly 0.1, as float means 0.1, 0.09999999999999998 and
  // 0.10000000000000009: no spread, so t is infinite (at face value a finite t from the noise).
  const gains = comparePaired(
    [0, 1].flatMap((
      seed,
    ) => [cell("A", seed, 0, [0.2, 0.5, 0.8]), cell("B", seed, 0, [0.1, 0.4, 0.7])]),
    "D",
    "A",
    "B",
  )!.tTest;
  assertEquals([gains.statistic, gains.pValue], [Infinity, 0]);
  assertAlmostEquals(gains.meanDifference, 0.1, 1e-15);
});

Deno.test("comparePaired: a seed at which both systems scored the same bits counts as tied, not behind", () => {
  // Seeds 0 and 1: the same per-user values (a Demure run that kept its backbone's weights); seed
  // 2: A ahead.
  const cells = [
    cell("A", 0, 0, [0.5, 0.25]),
    cell("A", 1, 0, [0.2, 0.4]),
    cell("A", 2, 0, [0.4, 0.4]),
    cell("B", 0, 0, [0.5, 0.25]),
    cell("B", 1, 0, [0.2, 0.4]),
    cell("B", 2, 0, [0.1, 0.1]),
    // Seed 3: A ahead by one stored step (1e-6) for one user: a difference, not a tie.
    cell("A", 3, 0, [0.3, 0.600001]),
    cell("B", 3, 0, [0.3, 0.6]),
  ];
  const bySeed = comparePaired(cells, "D", "A", "B")!.bySeed!;
  assertEquals([bySeed.n, bySeed.ahead, bySeed.tied], [4, 2, 2]);
});

Deno.test("the records' per-user metrics lie on the grid comparePaired's Wilcoxon assumes, and need all of it", () => {
  // comparePaired's resolution is 1 / (PER_USER_METRIC_STEPS * k_a * k_b): right only if the
  // stored per-user values are whole multiples of 1 / PER_USER_METRIC_STEPS, as run_cell.ts rounds
  // them. A coarser grid (1e5) rounds reruns off the records; here 28 of the 671 users' NDCG@10
  // need the sixth decimal.
  const file = "results-of-record/full/cells/full__MovieLens__AttributionOnly-SASRec__seed=0.json";
  const values: number[] = JSON.parse(Deno.readTextFileSync(file)).result.perUserTest["NDCG@10"];
  const offGrid = (v: number, steps: number) => Math.abs(v * steps - Math.round(v * steps)) > 1e-6;
  assertEquals(values.length, 671);
  assertEquals(values.filter((v) => offGrid(v, PER_USER_METRIC_STEPS)).length, 0);
  assertEquals(values.filter((v) => offGrid(v, PER_USER_METRIC_STEPS / 10)).length, 28);
});

Deno.test("comparePaired: the Wilcoxon grid is fine enough for one step at one seed of five", () => {
  // User 0 differs by one stored step (1e-6) at one seed: its means differ by 2e-7, a whole
  // multiple of 1 / (1e6 * 5 * 5) but not of 1e-6; read on a grid of 1e-6 it rounded to no
  // difference. Users 1 and 2: a gain and a loss of 0.1.
  const a = [[0.5, 0.5, 0.5, 0.5, 0.500001], [0.3, 0.3, 0.3, 0.3, 0.3], [0.2, 0.2, 0.2, 0.2, 0.2]];
  const b = [[0.5, 0.5, 0.5, 0.5, 0.5], [0.2, 0.2, 0.2, 0.2, 0.2], [0.3, 0.3, 0.3, 0.3, 0.3]];
  const { wilcoxon } = comparePaired([...seedCells("A", a), ...seedCells("B", b)], "D", "A", "B")!;
  const exact = wilcoxonSignedRank([1, 500_000, -500_000], [0, 0, 0]);
  assertEquals([wilcoxon.n, wilcoxon.statistic, wilcoxon.pValue], [
    exact.n,
    exact.statistic,
    exact.pValue,
  ]);
  assertEquals(wilcoxon.n, 3);
});

Deno.test("meanStd of no value: mean, std NaN (a table's '–'), n 0, never a mean of 0", () => {
  const empty = meanStd([]);
  assertEquals(empty.n, 0);
  assertEquals([Number.isNaN(empty.mean), Number.isNaN(empty.std)], [true, true]);
});

Deno.test("perUserOverSeeds: runs that all scored no user give no user, not an error", () => {
  // Every seed diverged alike: nothing to average, and no run read as 0 beside a scored one.
  const cells = [cell("S", 0, 0, []), cell("S", 1, 0, [])];
  assertEquals(perUserOverSeeds(cells, "D", "S", "NDCG@10").size, 0);
});

Deno.test("the strongest baseline: a tie on validation goes to the first baseline listed", () => {
  const cells = [
    cell("A", 0, 0.2, [0.1, 0.2, 0.1, 0.2]),
    cell("B", 0, 0.2, [0.9, 0.9, 0.9, 0.9]),
    cell("Ours", 0, 0.3, [0.3, 0.4, 0.3, 0.5]),
  ];
  assertEquals(compareWithStrongestBaseline(cells, "D", "Ours", ["A", "B"])?.baseline, "A");
  assertEquals(compareWithStrongestBaseline(cells, "D", "Ours", ["B", "A"])?.baseline, "B");
});

Deno.test("summariseAttribution: a first stored run without attribution hides no method", () => {
  const quality = {
    method: "occlusion" as const,
    rocAuc: 0.6,
    precision: 0.3,
    recall: 0.2,
    userModalityRocAuc: 0.6,
    units: 10,
    seconds: 1,
  };
  // The run reused from its selection trial (not attributed) is stored first.
  const cells = [
    cell("S", 0, 0, [0.5, 0.5]),
    { ...cell("S", 1, 0, [0.5, 0.5]), attribution: [quality] },
  ];
  const rows = summariseAttribution(cells, "D", "S");
  assertEquals(rows.map((row) => [row.method, row.seeds]), [["occlusion", [1]]]);
});

Deno.test("errorBarOf: no error bar (null) for one run, never a flat 0; the sample std from two on", () => {
  assertEquals(errorBarOf(meanStd([0.2])), null);
  // Values 0.1 and 0.3: sample variance ((-0.1)^2 + 0.1^2) / (2 - 1) = 0.02, std 0.1414.
  assertAlmostEquals(errorBarOf(meanStd([0.1, 0.3]))!, Math.sqrt(0.02), 1e-12);
});

Deno.test("summariseSystems: the training time is the mean over the seeds' runs, not one run's", () => {
  const runs = [10, 20, 60].map((trainSeconds, seed) => ({
    ...cell("S", seed, 0.1, [0.5, 0.5]),
    trainSeconds,
  }));
  const [row] = summariseSystems(runs, "D", ["S"]);
  assertEquals(row.meanTrainSeconds, 30);
});

Deno.test("summariseAttribution: precision, recall, user-modality AUC and seconds each over seeds, from their own field", () => {
  const quality = (
    precision: number,
    recall: number,
    userModalityRocAuc: number,
    seconds: number,
  ) => ({
    method: "occlusion" as const,
    rocAuc: 0.5,
    precision,
    recall,
    userModalityRocAuc,
    units: 10,
    seconds,
  });
  const cells = [
    { ...cell("S", 0, 0, [0.5, 0.5]), attribution: [quality(0.2, 0.1, 0.7, 2)] },
    { ...cell("S", 1, 0, [0.5, 0.5]), attribution: [quality(0.4, 0.5, 0.9, 4)] },
  ];
  const [row] = summariseAttribution(cells, "D", "S");
  // Two seeds: mean (x + y) / 2, sample std |x - y| / sqrt(2).
  assertAlmostEquals(row.precision.mean, 0.3, 1e-12);
  assertAlmostEquals(row.precision.std, 0.2 / Math.SQRT2, 1e-12);
  assertAlmostEquals(row.recall.mean, 0.3, 1e-12);
  assertAlmostEquals(row.recall.std, 0.4 / Math.SQRT2, 1e-12);
  assertAlmostEquals(row.userModalityRocAuc.mean, 0.8, 1e-12);
  assertEquals(row.seconds, 3);
});

Deno.test("summariseSystems: a row's seeds are its runs' seeds in the order stored", () => {
  const runs = [2, 0, 1].map((seed) => cell("S", seed, 0.1, [0.5, 0.5]));
  assertEquals(summariseSystems(runs, "D", ["S"])[0].seeds, [2, 0, 1]);
});

Deno.test("comparePaired by seed: a two-sided t-test with n - 1 degrees of freedom, by hand", () => {
  // Each run's test NDCG@10 is its users' mean: 0.12, 0.25, 0.31 against 0.1, 0.2, 0.3.
  const cells = [
    ...[0.12, 0.25, 0.31].map((v, seed) => cell("S", seed, 0, [v, v])),
    ...[0.1, 0.2, 0.3].map((v, seed) => cell("B", seed, 0, [v, v])),
  ];
  const bySeed = comparePaired(cells, "D", "S", "B")!.bySeed!;
  // d = 0.02, 0.05, 0.01: mean 0.08 / 3, squares about it sum to 0.0026 / 3, sample variance
  // that / 2 (n - 1), t = mean / sqrt(variance / 3) = 2.2188; with 2 degrees of freedom the
  // two-sided p = 1 - |t| / sqrt(t^2 + 2) = 0.1567 (one-sided: half; population variance: t 2.717).
  const t = (0.08 / 3) / Math.sqrt(0.0026 / 3 / 2 / 3);
  assertAlmostEquals(bySeed.statistic, t, 1e-9);
  assertAlmostEquals(bySeed.statistic, 2.2188, 1e-4);
  assertAlmostEquals(bySeed.pValue, 1 - t / Math.sqrt(t * t + 2), 1e-9);
  assertAlmostEquals(bySeed.pValue, 0.1567, 1e-4);
  assertAlmostEquals(bySeed.meanDifference, 0.08 / 3, 1e-12);
  assertEquals([bySeed.n, bySeed.ahead, bySeed.tied], [3, 3, 0]);
});

Deno.test("cold-start buckets: the default edges and labels; HR@10 from its own per-user values", () => {
  const split = leaveOneOut(tinyDataset(), 4);
  const cells = [cell("S", 0, 0, [0, 0.5, 0, 1])];
  assertEquals(
    coldStartBuckets(cells, "D", split, ["S"]).map((b) => [b.label, b.min, b.max]),
    [["0-5", 0, 5], ["6-20", 6, 20], [">= 21", 21, Infinity]],
  );
  // HR@10 is 1 where NDCG@10 > 0: users 1 and 3 of 4.
  const [all] = coldStartBuckets(cells, "D", split, ["S"], [[0, Infinity]]);
  assertEquals(all.bySystem["S"], { "NDCG@10": 0.375, "HR@10": 0.5 });
});
