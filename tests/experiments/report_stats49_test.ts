/**
 * The statistics of the report, checked as a reviewer would: every number recomputed from the
 * committed record files by code that shares nothing with the library (its own JSON reading, its
 * own sample standard deviation, Student's t tail by the angle substitution instead of the
 * incomplete beta function, the normal tail by quadrature, its own ranks), and the words around
 * them: "sample std (n − 1)", the seed count beside each mean, two-sided tests, the Wilcoxon
 * test's own n, the absence of a correction for multiple comparisons, no difference called
 * significant where the printed means are equal, and ties in the "best" marks.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { recordsSummary } from "./_records_summary.ts";
import {
  formatMeanStd,
  readmeTables,
  readmeTablesOf,
  summaryMarkdown,
} from "../../lib/experiments/markdown_report.ts";
import type { PairedTestResult } from "../../lib/eval/significance.ts";
import { systemsTable } from "../../lib/notebook/systems_views.ts";
import { formatTable } from "../../lib/viz/table_html.ts";

const summary = await recordsSummary();
const root = new URL("../../", import.meta.url).pathname;

/** One record file's result, read without the library. */
interface RawCell {
  key: string;
  dataset: string;
  system: string;
  seed: number;
  test: Record<string, number>;
  users: number[];
  perUserTest: Record<string, number[]>;
  attribution?: { method: string; rocAuc: number; userModalityRocAuc: number }[];
}

const raw: RawCell[] = [...Deno.readDirSync(`${root}results-of-record/full/cells`)]
  .filter((entry) => entry.name.endsWith(".json"))
  .map((entry) => {
    const file = JSON.parse(
      Deno.readTextFileSync(`${root}results-of-record/full/cells/${entry.name}`),
    );
    return { key: file.key, ...file.result };
  });

/** The main-table (and ablation) cells of a system: keys "full/<dataset>/<system>/seed=<s>". */
function runsOf(dataset: string, system: string): RawCell[] {
  return raw.filter((c) => c.key === `full/${dataset}/${system}/seed=${c.seed}`)
    .sort((a, b) => a.seed - b.seed);
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function sampleStd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) * (v - m), 0) / (values.length - 1));
}

/** Composite Simpson's rule of f over [a, b] with `intervals` (even) steps. */
function simpson(f: (x: number) => number, a: number, b: number, intervals: number): number {
  const h = (b - a) / intervals;
  let sum = f(a) + f(b);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

/**
 * Two-sided p of Student's t with `df` degrees of freedom: with x = sqrt(df) tan(phi) the density
 * is proportional to cos(phi)^(df - 1) on [0, pi / 2], so p = the integral from atan(|t| / sqrt(df))
 * over the whole. A bounded integrand: no gamma function, no continued fraction.
 */
function studentTwoSidedP(t: number, df: number): number {
  const f = (phi: number) => Math.cos(phi) ** (df - 1);
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  return simpson(f, theta, Math.PI / 2, 400_000) / simpson(f, 0, Math.PI / 2, 400_000);
}

/** Two-sided paired t-test, by the textbook formulas. */
function tTest(a: readonly number[], b: readonly number[]): { t: number; p: number } {
  const d = a.map((x, i) => x - b[i]);
  const t = mean(d) / (sampleStd(d) / Math.sqrt(d.length));
  return { t, p: studentTwoSidedP(t, d.length - 1) };
}

/** 2 * P(Z > |z|) by quadrature of the normal density (its tail beyond |z| + 40 is below 1e-300). */
function normalTwoSidedP(z: number): number {
  const from = Math.abs(z);
  return (2 * simpson((x) => Math.exp(-x * x / 2), from, from + 40, 400_000)) /
    Math.sqrt(2 * Math.PI);
}

/**
 * Wilcoxon signed-rank, zero differences dropped, normal approximation with the tie-corrected
 * variance and a continuity correction of 0.5 (scipy's `zero_method="wilcox", correction=True`).
 * Differences are compared on a 1e-9 grid: far coarser than the float noise of a mean over seeds
 * (1e-16), far finer than the smallest step of the stored metrics (1e-6 over 25 pairs of seeds).
 */
function wilcoxon(a: readonly number[], b: readonly number[]): { n: number; p: number } {
  const d = a.map((x, i) => Math.round((x - b[i]) * 1e9)).filter((x) => x !== 0);
  const sorted = [...d].sort((x, y) => Math.abs(x) - Math.abs(y));
  const rankOf = new Map<number, number>();
  let tieTerm = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && Math.abs(sorted[j]) === Math.abs(sorted[i])) j++;
    rankOf.set(Math.abs(sorted[i]), (i + 1 + j) / 2);
    tieTerm += (j - i) ** 3 - (j - i);
    i = j;
  }
  const n = d.length;
  const wPlus = d.filter((x) => x > 0).reduce((s, x) => s + rankOf.get(x)!, 0);
  const deviation = wPlus - n * (n + 1) / 4;
  const sd = Math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - tieTerm / 48);
  return { n, p: Math.min(1, normalTwoSidedP((Math.abs(deviation) - 0.5) / sd)) };
}

/** Per-user test NDCG@10 of a system averaged over its seeds, in user order. */
function perUserMean(dataset: string, system: string): number[] {
  const runs = runsOf(dataset, system);
  return runs[0].users.map((_, i) => mean(runs.map((run) => run.perUserTest["NDCG@10"][i])));
}

/** |actual - expected| within `relative` of expected. */
function assertRelative(actual: number, expected: number, relative: number, what: string) {
  assert(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what}: ${actual}, independently ${expected}`,
  );
}

const tablesMarkdown = readmeTables(summary);
/** The README with its line breaks as spaces: prose wraps anywhere. */
const readmeProse = Deno.readTextFileSync(`${root}README.md`).replace(/\s+/g, " ");

Deno.test("stats49: every main and ablation mean ± std is the mean and SAMPLE std (n − 1) of the record files, beside its seed count", () => {
  let populationWouldDiffer = 0;
  const tables = [
    ...Object.values(summary.main).map(({ rows }) => rows),
    ...Object.values(summary.ablation),
  ];
  assert(tables.length === 4, "two main tables and two ablations");
  for (const rows of tables) {
    for (const row of rows) {
      const runs = runsOf(row.dataset, row.system);
      assertEquals(row.seeds, runs.map((run) => run.seed), `${row.dataset}/${row.system} seeds`);
      for (const [metric, value] of Object.entries(row.test)) {
        const values = runs.map((run) => run.test[metric]);
        assertAlmostEquals(value.mean, mean(values), 1e-12);
        assertEquals(value.n, values.length);
        if (values.length === 1) {
          assertEquals(formatMeanStd(value), mean(values).toFixed(4), "one seed: no ±");
          continue;
        }
        const std = sampleStd(values);
        assertAlmostEquals(value.std, std, 1e-12, `${row.dataset}/${row.system} ${metric} std`);
        const printed = `${mean(values).toFixed(4)} ± ${std.toFixed(4)}`;
        assertEquals(formatMeanStd(value), printed);
        const population = std * Math.sqrt((values.length - 1) / values.length);
        if (population.toFixed(4) !== std.toFixed(4)) populationWouldDiffer++;
        // The README's row: the system, its seed count, then the metrics as printed.
        if (metric === "NDCG@10") {
          assertStringIncludes(tablesMarkdown, `| ${row.system} | ${values.length} | `);
          assertStringIncludes(tablesMarkdown, ` | ${printed} | `);
        }
      }
    }
  }
  // The check tells n - 1 from n: the population std would print otherwise in most cells.
  assert(populationWouldDiffer > 100, `${populationWouldDiffer} cells`);
  assertStringIncludes(
    tablesMarkdown,
    "Mean ± sample standard deviation (n − 1) over the seeds counted in the seeds column",
  );
});

/** Every paired comparison of the summary, with where it is shown. */
const comparisons = [
  ...Object.entries(summary.main).flatMap(([dataset, { significance }]) =>
    significance.map((s) => ({ dataset, s }))
  ),
  ...Object.entries(summary.ablationSignificance).flatMap(([dataset, tests]) =>
    tests.map((s) => ({ dataset, s }))
  ),
];

Deno.test("stats49: the tests over users recompute independently (t-test p, Wilcoxon p and its n of non-zero differences)", () => {
  assertEquals(comparisons.length, 18, "6 main and 12 ablation comparisons");
  for (const { dataset, s } of comparisons) {
    const what = `${dataset}: ${s.system} vs ${s.baseline}`;
    const a = perUserMean(dataset, s.system);
    const b = perUserMean(dataset, s.baseline);
    assertEquals(s.tTest.n, a.length, `${what}: every user`);
    assertAlmostEquals(s.tTest.meanDifference, mean(a) - mean(b), 1e-9, what);
    const t = tTest(a, b);
    assertRelative(s.tTest.statistic, t.t, 1e-6, `${what} t`);
    assertRelative(s.tTest.pValue, t.p, 1e-6, `${what} t-test p`);
    const w = wilcoxon(a, b);
    assertEquals(s.wilcoxon.n, w.n, `${what}: Wilcoxon's n`);
    assert(w.n < a.length, `${what}: users with equal values are left out`);
    // The library's normal tail (erfc, 1.2e-7 relative) against quadrature.
    assertRelative(s.wilcoxon.pValue, w.p, 1e-5, `${what} Wilcoxon p`);
    // The report says both n.
    assertStringIncludes(
      tablesMarkdown,
      `Wilcoxon p = ${s.wilcoxon.pValue.toPrecision(3)} (n = ${a.length} users; Wilcoxon over ` +
        `the ${w.n} whose difference is not 0)`,
    );
  }
});

Deno.test("stats49: the tests paired by seed recompute independently (main, ablation, design choices, sensitivity)", () => {
  for (const { dataset, s } of comparisons) {
    const ours = runsOf(dataset, s.system).map((run) => run.test["NDCG@10"]);
    const theirs = runsOf(dataset, s.baseline).map((run) => run.test["NDCG@10"]);
    assertEquals(ours.length, 5);
    const t = tTest(ours, theirs);
    const bySeed = s.bySeed as PairedTestResult & { ahead: number };
    assertEquals(bySeed.n, 5);
    assertRelative(bySeed.pValue, t.p, 1e-6, `${dataset}: ${s.system} vs ${s.baseline} by seed`);
    assertEquals(bySeed.ahead, ours.filter((x, i) => x > theirs[i]).length);
  }
  const selected = (dataset: string, seeds: number[]) => {
    const bySeed = new Map(runsOf(dataset, "Demure-SASRec").map((run) => [run.seed, run]));
    return seeds.map((seed) => bySeed.get(seed)!.test["NDCG@10"]);
  };
  /** The sweep's or design choice's cells of one setting: keys "...Demure-SASRec[<tag>]/seed=". */
  const flipped = (dataset: string, tag: string, seeds: number[]) =>
    seeds.map((seed) =>
      raw.find((c) => c.key === `full/${dataset}/Demure-SASRec[${tag}]/seed=${seed}`)!
        .test["NDCG@10"]
    );
  let tested = 0;
  for (const row of summary.sensitivity) {
    if (!row.tTest) {
      assert(row.selected, `${row.dataset} ${row.parameter} ${row.value}: only the selected row`);
      continue;
    }
    const ours = flipped(row.dataset, `${row.parameter}=${row.value}`, row.pairedSeeds);
    const theirs = selected(row.dataset, row.pairedSeeds);
    assertAlmostEquals(row.testVsSelected!, mean(ours) - mean(theirs), 1e-12);
    assertAlmostEquals(row.test.std, sampleStd(ours), 1e-12);
    assertRelative(row.tTest.pValue, tTest(ours, theirs).p, 1e-6, `${row.dataset} ${row.value}`);
    tested++;
  }
  const tags: Record<string, string> = {
    "L_rec on the denoised history": "denoiseInput=flipped",
    "noise per (position, modality)": "granularity=pair",
    "no noise-only negative": "noiseViewAsNegative=false",
  };
  for (const row of summary.designChoices) {
    const ours = flipped(row.dataset, tags[row.choice], row.seeds);
    const theirs = selected(row.dataset, row.seeds);
    assertAlmostEquals(row.flipped.test.std, sampleStd(ours), 1e-12);
    assertRelative(row.tTest!.pValue, tTest(ours, theirs).p, 1e-6, `${row.dataset} ${row.choice}`);
    tested++;
  }
  assertEquals(tested, 12 + 6, "12 sweep rows and 6 design choices with a test");
});

Deno.test("stats49: no difference is called significant where the printed means are equal", () => {
  const printedMean = (dataset: string, system: string) => {
    const row = [...summary.main[dataset].rows, ...summary.ablation[dataset]]
      .find((r) => r.system === system)!;
    return row.test["NDCG@10"].mean.toFixed(4);
  };
  let significant = 0;
  for (const { dataset, s } of comparisons) {
    const ps = [s.tTest.pValue, s.wilcoxon.pValue, s.bySeed?.pValue ?? 1];
    if (Math.min(...ps) >= 0.05) continue;
    significant++;
    assert(
      printedMean(dataset, s.system) !== printedMean(dataset, s.baseline),
      `${dataset}: ${s.system} vs ${s.baseline} is significant at equal printed means`,
    );
  }
  for (const row of summary.sensitivity) {
    if (!row.tTest || row.tTest.pValue >= 0.05) continue;
    significant++;
    const reference = summary.sensitivity.find((r) =>
      r.dataset === row.dataset && r.parameter === row.parameter && r.selected
    )!;
    assert(row.test.mean.toFixed(4) !== reference.test.mean.toFixed(4), `${row.value}`);
  }
  assert(significant > 10, `${significant} significant comparisons checked`);
});

Deno.test("stats49: every section with a p-value says two-sided and that no correction is applied; the README counts its tests right", () => {
  const sections = summaryMarkdown(summary).split("\n## ").filter((section) =>
    /p = |t-test p \|/.test(section)
  );
  assertEquals(sections.length, 2 + 2 + 1 + 2, "main, ablation, design choices, sensitivity");
  for (const section of sections) {
    const heading = section.slice(0, section.indexOf("\n"));
    assertStringIncludes(section, "two-sided", heading);
    assert(/no correction for the number of tests/i.test(section), heading);
  }
  // The protocol's "the tables alone hold more than 50 tests": count them in the README's tables.
  const block = readmeTablesOf(Deno.readTextFileSync(`${root}README.md`))!;
  const inLines = (block.match(/ p = /g) ?? []).length;
  // Rows of the tables with a "paired t-test p" column (design choices, sensitivity) that have one.
  let header = "";
  let inTables = 0;
  for (const line of block.split("\n")) {
    if (!line.startsWith("| ") || line.startsWith("| ---")) {
      if (!line.startsWith("| ---")) header = "";
      continue;
    }
    if (header === "") header = line;
    else if (header.endsWith("| paired t-test p |") && !line.endsWith("| - |")) inTables++;
  }
  assertEquals(inTables, 6 + 12, "6 design choices, 12 sweep values besides the selected ones");
  assertEquals(inLines, 18 * 3, "t-test, Wilcoxon, by seed per comparison");
  assert(inLines + inTables > 50, `${inLines} + ${inTables}`);
  assertStringIncludes(
    readmeProse,
    "hold more than 50 tests, so a single p-value near 0.05 is weak evidence",
  );
  // The summary at the top, where most readers stop, says it too.
  assertStringIncludes(
    readmeProse,
    'p: a two-sided paired t-test over users on seed-averaged NDCG@10; "by seed": the two-sided t-test',
  );
});

Deno.test("stats49: the noise-level table shows each level's seed count and the gain paired by seed", () => {
  const level = (fraction: number, system: string) =>
    fraction === 0.5
      ? runsOf("Synthetic", system)
      : raw.filter((c) =>
        c.dataset === `Synthetic(noiseFraction=${fraction})` && c.system === system
      ).sort((a, b) => a.seed - b.seed);
  for (const row of summary.noiseLevel) {
    const base = level(row.noiseFraction, "SASRec-MM");
    const ours = level(row.noiseFraction, "Demure-SASRec");
    assertEquals(base.map((c) => c.seed), ours.map((c) => c.seed));
    const gain = mean(ours.map((c, i) => c.test["NDCG@10"] - base[i].test["NDCG@10"]));
    assertAlmostEquals(row.gain, gain, 1e-12);
    const sign = gain.toFixed(4).startsWith("-") ? "" : "+";
    assertStringIncludes(
      tablesMarkdown,
      `| ${row.noiseFraction} | ${ours.length} | ${formatMeanStd(row.multiModal)} | ` +
        `${formatMeanStd(row.demure)} | ${sign}${gain.toFixed(4)} |`,
    );
  }
  assertEquals(summary.noiseLevel.map((row) => row.demure.n), [3, 5, 3]);
  // At 0.75 the printed means differ by 0.0001, the paired gain reads +0.0002: said under it.
  assertStringIncludes(
    tablesMarkdown,
    "(of the unrounded values: it may differ by a unit in the last place from the difference of " +
      "the printed means)",
  );
});

Deno.test("stats49: 'best' marks compare printed means, so two means that print alike are both best", () => {
  const rows = summary.ablation["MovieLens"].filter((r) =>
    r.system === "ContrastiveOnly-SASRec" || r.system === "Demure-SASRec"
  );
  const [a, b] = rows.map((r) => r.test["NDCG@10"].mean);
  assert(a !== b && a.toFixed(4) === b.toFixed(4), `${a} and ${b} print alike`);
  const table = systemsTable(rows, { metrics: ["NDCG@10"], best: { "NDCG@10": "higher" } });
  const { best } = formatTable({ kind: "table", ...table }, "stats49");
  assertEquals(best.map((row) => row[2]), [true, true], "a tie as printed: both marked");
  const withBackbone = summary.ablation["MovieLens"];
  const marked = formatTable(
    {
      kind: "table",
      ...systemsTable(withBackbone, { metrics: ["NDCG@10"], best: { "NDCG@10": "higher" } }),
    },
    "stats49",
  ).best.flatMap((row, i) => row[2] ? [withBackbone[i].system] : []);
  assertEquals(marked, ["SASRec-MM"]);
});

Deno.test("stats49: the attribution table's mean ± std is the sample std over the seeds it lists", () => {
  assert(summary.attribution.length > 0, "the records' attribution rows");
  for (const row of summary.attribution) {
    const scored = runsOf("Synthetic", row.system).flatMap((run) => {
      const quality = run.attribution?.find((q) => q.method === row.method);
      return quality ? [{ seed: run.seed, quality }] : [];
    });
    assertEquals(row.seeds, scored.map(({ seed }) => seed), `${row.system} ${row.method}`);
    const auc = scored.map(({ quality }) => quality.rocAuc);
    assertAlmostEquals(row.rocAuc.mean, mean(auc), 1e-12);
    assertAlmostEquals(row.rocAuc.std, sampleStd(auc), 1e-12);
    const printed = `| ${row.system} | ${row.method} | ${row.seeds.join(", ")} | ` +
      `${mean(auc).toFixed(4)} ± ${sampleStd(auc).toFixed(4)} |`;
    assertStringIncludes(tablesMarkdown, printed);
  }
  assertStringIncludes(
    tablesMarkdown,
    "mean ± sample standard deviation (n − 1) over the seeds listed",
  );
});

Deno.test("stats49: a difference that is not the difference of the printed means is explained under its table", () => {
  // MovieLens, noise per (position, modality): 0.0832 - 0.0793 printed, +0.0040 unrounded.
  const off = summary.designChoices.filter((row) =>
    (Number(row.flipped.test.mean.toFixed(4)) - Number(row.selected.test.mean.toFixed(4)))
      .toFixed(4) !== row.testVsSelected.toFixed(4)
  );
  assert(off.length > 0, "the records hold such a row");
  for (const row of off) {
    assertAlmostEquals(row.testVsSelected, row.flipped.test.mean - row.selected.test.mean, 1e-12);
  }
  assertStringIncludes(
    tablesMarkdown,
    "Differences are of the unrounded values, so one may differ by a unit in the last place " +
      "from the difference of the two printed means.",
  );
});
