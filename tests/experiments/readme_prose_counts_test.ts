/**
 * The counts that README.md's "What came out" states in its prose, held to the committed results
 * of record. `deno task report` regenerates the tables (readme_tables_test holds them), never the
 * prose: a rerun that changed how many runs hit the cap, the best-epoch range, which runs ended
 * with their backbone's weights, the trials per system or a seed count would leave the prose
 * stale without this test. Each fragment must occur exactly once, so a rewording that drops a
 * number fails here too (update the fragment with the prose).
 */
import { assert, assertEquals } from "@std/assert";
import { summarise } from "../../lib/experiments/summary.ts";
import { recordsOutcome } from "./_records_summary.ts";

const root = new URL("../../", import.meta.url).pathname;
const outcome = await recordsOutcome();
const summary = summarise(outcome);

/** README's "### What came out", up to the generated tables, with line breaks as spaces. */
function whatCameOut(): string {
  const readme = Deno.readTextFileSync(`${root}README.md`);
  const start = readme.indexOf("### What came out");
  const end = readme.indexOf("### Tables (generated from");
  assert(start >= 0 && end > start, "README.md: no '### What came out' before the tables");
  return readme.slice(start, end).replace(/\s+/g, " ");
}

/** The numbers captured by `pattern`, which must match the prose exactly once. */
function stated(prose: string, pattern: RegExp): number[] {
  const matches = [...prose.matchAll(new RegExp(pattern.source, "g"))];
  assertEquals(
    matches.length,
    1,
    `README.md "What came out": ${pattern} matched ${matches.length}`,
  );
  return matches[0].slice(1).map(Number);
}

const prose = whatCameOut();
const convergence = summary.convergence;
const neuralKeys = outcome.plan.cells.filter((cell) => cell.system.kind === "neural")
  .map((cell) => cell.key).filter((key) => outcome.byKey.has(key));
const bestEpochOf = (key: string) => outcome.byKey.get(key)!.bestEpoch;

Deno.test("README prose: the cap-bound runs and the best-epoch range are the records'", () => {
  const [capBound, neural, cap, lowest, highest] = stated(
    prose,
    /(\d+) of the (\d+) neural runs ended at the (\d+)-epoch cap \(best epochs (\d+)-(\d+);/,
  );
  assertEquals(
    { capBound, neural, cap, highest },
    {
      capBound: convergence.capBound,
      neural: convergence.neuralCells,
      cap: convergence.minCap,
      highest: convergence.maxBestEpoch,
    },
  );
  assertEquals(neuralKeys.length, convergence.neuralCells);
  assertEquals(lowest, Math.min(...neuralKeys.map(bestEpochOf)));
  // "the one best epoch of 1 is a MovieLens selection trial"
  const [epoch] = stated(prose, /the one best epoch of (\d+) is a MovieLens selection trial/);
  const atLowest = neuralKeys.filter((key) => bestEpochOf(key) === epoch);
  assertEquals(atLowest.length, 1, atLowest.join(", "));
  assert(/^full\/MovieLens\/[^/]+\/trial=\d+\//.test(atLowest[0]), atLowest[0]);
});

Deno.test("README prose: the runs that ended with their backbone's weights are the records'", () => {
  const [marked, family] = stated(prose, /\((\d+) of the (\d+) Demure-family records:/);
  assertEquals(
    { marked, family },
    { marked: convergence.backboneWeightsKeys.length, family: convergence.demureCells },
  );
  // "in 3 of 5 seeds the contrastive phase never beat the backbone's best validation"
  const [atSeeds, seeds] = stated(
    prose,
    /in (\d+) of (\d+) seeds the contrastive phase never beat/,
  );
  const mainSeeds = convergence.backboneWeightsKeys
    .filter((key) => /^full\/Synthetic\/Demure-GRU4Rec\/seed=\d+$/.test(key));
  assertEquals(atSeeds, mainSeeds.length, mainSeeds.join(", "));
  const row = summary.main.Synthetic.rows.find((r) => r.system === "Demure-GRU4Rec");
  assertEquals(seeds, row?.seeds.length);
});

Deno.test("README prose: the trials per system are the plan's budget", () => {
  const trialsOf = (dataset: string) => summary.budgets.find((b) => b.dataset === dataset)?.trials;
  const [synthetic] = stated(prose, /Synthetic, every neural system selected with the same (\d+)/);
  const [movieLens] = stated(prose, /MovieLens, every neural system selected with the same (\d+)/);
  assertEquals({ synthetic, movieLens }, {
    synthetic: trialsOf("Synthetic"),
    movieLens: trialsOf("MovieLens"),
  });
});

/** The ablation's random-mask control. */
const RANDOM = "RandomInputMasks-SASRec";

Deno.test("README prose: the seeds ahead or behind are the paired-by-seed tests'", () => {
  const bySeed = (dataset: string, system: string, baseline: string) => {
    const tests = [
      ...summary.main[dataset].significance,
      ...(summary.ablationSignificance[dataset] ?? []),
    ];
    const found = tests.find((t) => t.system === system && t.baseline === baseline)?.bySeed;
    assert(found !== undefined, `${dataset}: ${system} vs ${baseline}: no test by seed`);
    return found;
  };
  // Each: the prose (its p-value pins which comparison), dataset, system, baseline, side.
  const cases: [RegExp, string, string, string, "ahead" | "behind"][] = [
    [/0\.048; ahead in (\d+) of (\d+)/, "Synthetic", "Demure-SASRec", "SASRec-MM", "ahead"],
    [/0\.026, behind in (\d+) of (\d+)/, "Synthetic", RANDOM, "AttributionOnly-SASRec", "behind"],
    [/0\.0046; behind in (\d+) of (\d+)/, "MovieLens", "Demure-SASRec", "SASRec-MM", "behind"],
    [/0\.099, ahead in (\d+) of (\d+)/, "MovieLens", "Demure-GRU4Rec", "GRU4Rec-MM", "ahead"],
    [/0\.018, ahead in (\d+) of (\d+)/, "MovieLens", RANDOM, "AttributionOnly-SASRec", "ahead"],
  ];
  // "behind" counts the seeds below the baseline in the records (a tie is neither side).
  const testAt = (dataset: string, system: string, seed: number) => {
    const key = `full/${dataset}/${system}/seed=${seed}`;
    const result = outcome.byKey.get(key);
    assert(result !== undefined, `no record ${key}`);
    return result.test["NDCG@10"];
  };
  for (const [pattern, dataset, system, baseline, side] of cases) {
    const [count, seeds] = stated(prose, pattern);
    const test = bySeed(dataset, system, baseline);
    const paired = Array.from({ length: test.n }, (_, seed) => seed);
    const behind = paired.filter((seed) =>
      testAt(dataset, system, seed) < testAt(dataset, baseline, seed)
    ).length;
    assertEquals(seeds, test.n, `${dataset}: ${system} vs ${baseline}: seeds`);
    assertEquals(
      count,
      side === "ahead" ? test.ahead : behind,
      `${dataset}: ${system} vs ${baseline}: seeds ${side}`,
    );
  }
});
