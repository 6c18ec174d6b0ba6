/**
 * The markdown report (summary.md, the README's tables) prints a missing value as "–" with its
 * reason: a noise rate that a result file holds as null, an empty cold-start bucket. The HTML
 * report's figures draw no bar for a missing value, never a 0 one.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { MODALITY_NEVER_PRESENT, modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import {
  bestEpochsText,
  README_TABLES_END,
  README_TABLES_START,
  readmeTablesOf,
  replaceReadmeTables,
  summaryMarkdown,
} from "../../lib/experiments/markdown_report.ts";
import { reportSections } from "../../lib/experiments/html_report.ts";
import type { BarTrace } from "../../lib/viz/figure.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { recordsSummary } from "./_records_summary.ts";

const records = await recordsSummary();

Deno.test("markdown: a noise rate without pairs under a mask is '–' and why, not 0 %", () => {
  const [first, ...rest] = records.diagnosis;
  // As read from a result file: NaN was written as null (JSON has no NaN).
  const pairs = { id: { valid: 40, noise: 4 }, text: { valid: 0, noise: 0 } };
  const summary: ReproductionSummary = {
    ...records,
    diagnosis: [{
      ...first,
      noiseRateByModality: JSON.parse(JSON.stringify({ id: 0.1, text: Number.NaN })),
      noiseRates: modalityNoiseRates({ pairsByModality: pairs }),
    }, ...rest],
  };
  const markdown = summaryMarkdown(summary);
  assertStringIncludes(markdown, `over its training: id 10 %, text – (${MODALITY_NEVER_PRESENT}).`);
  assertEquals(markdown.includes("text 0 %"), false);
});

Deno.test("markdown: an empty cold-start bucket is '–' with the reason, not 0.0000", () => {
  const [label, buckets] = Object.entries(records.coldStart)[0];
  const systems = Object.keys(buckets[0].bySystem);
  const empty = {
    label: ">= 5000",
    min: 5000,
    max: Infinity,
    users: 0,
    bySystem: Object.fromEntries(
      systems.map((s) => [s, { "NDCG@10": Number.NaN, "HR@10": Number.NaN }]),
    ),
  };
  const markdown = summaryMarkdown({
    ...records,
    coldStart: { ...records.coldStart, [label]: [...buckets, empty] },
  });
  assertStringIncludes(markdown, `| >= 5000 | 0 | ${systems.map(() => "–").join(" | ")} |`);
  assertStringIncludes(
    markdown,
    "– no value: >= 5000: no test user's item has >= 5000 training interactions.",
  );
  assertEquals(markdown.includes("NaN"), false);
});

Deno.test("markdown: a gain or mean difference that is zero but -1e-17 prints no '-0.0000'", () => {
  // Two equal NDCGs subtracted after sums in another order give -1e-17; toFixed(4) kept its sign.
  const zeroBelow = -1e-17;
  const [label, main] = Object.entries(records.main)[0];
  const [test, ...others] = main.significance;
  assert(test !== undefined && records.noiseLevel.length > 0, "the records' paired tests");
  const markdown = summaryMarkdown({
    ...records,
    noiseLevel: records.noiseLevel.map((level) => ({ ...level, gain: zeroBelow })),
    main: {
      ...records.main,
      [label]: {
        ...main,
        significance: [{ ...test, tTest: { ...test.tTest, meanDifference: zeroBelow } }, ...others],
      },
    },
  });
  assertStringIncludes(markdown, "per-user test NDCG@10 0.0000, paired t-test");
  assertStringIncludes(markdown, " | 0.0000 |");
  assertEquals(markdown.includes("-0.0000"), false);
});

Deno.test("markdown: best epochs mark a backbone's weights and a cap-bound row", () => {
  const row = records.main[Object.keys(records.main)[0]].rows[0];
  const text = (capBound: number) =>
    bestEpochsText({ ...row, bestEpochs: [3, 5], backboneWeights: [false, true], capBound });
  assertEquals(text(0), "3, 5 (w)");
  assertEquals(text(1), "3, 5 (w) (cap)");
  assertEquals(bestEpochsText({ ...row, bestEpochs: [], backboneWeights: [] }), "-");
});

Deno.test("markdown: a diverged trial reads 'diverged' in the selection table, not a number", () => {
  const [table, ...rest] = records.selection;
  const [first, ...others] = table.rows;
  const markdown = summaryMarkdown({
    ...records,
    selection: [{ ...table, rows: [{ ...first, diverged: true, valid: NaN }, ...others] }, ...rest],
  });
  assertStringIncludes(markdown, `| ${first.trial} | ${first.settings} | diverged |`);
  assertEquals(markdown.includes("NaN"), false);
});

Deno.test("markdown: a sensitivity difference over fewer seeds than its row names them", () => {
  const index = records.sensitivity.findIndex((row) => row.testVsSelected !== undefined);
  const row = records.sensitivity[index];
  assertEquals(row.pairedSeeds.length > 1, true);
  const fewer = [...records.sensitivity];
  fewer[index] = { ...row, testVsSelected: 0.0123, pairedSeeds: row.pairedSeeds.slice(0, 1) };
  assertStringIncludes(
    summaryMarkdown({ ...records, sensitivity: fewer }),
    `| +0.0123 (seeds ${row.pairedSeeds[0]}) |`,
  );
  const all = [...records.sensitivity];
  all[index] = { ...row, testVsSelected: 0.0123 };
  const markdown = summaryMarkdown({ ...records, sensitivity: all });
  assertStringIncludes(markdown, "| +0.0123 |");
  assertEquals(markdown.includes("+0.0123 (seeds"), false);
});

Deno.test("markdown: up to 10 cap-bound runs are named, more are only counted", () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `cell-${i}`);
  const withCap = (n: number) =>
    summaryMarkdown({
      ...records,
      convergence: { ...records.convergence, capBound: n, capBoundKeys: keys(n) },
    });
  assertStringIncludes(withCap(10), `Cap-bound runs: ${keys(10).join(", ")}`);
  assertStringIncludes(withCap(1), "Cap-bound runs: cell-0\n");
  assertEquals(withCap(11).includes("Cap-bound runs:"), false);
  assertEquals(withCap(0).includes("Cap-bound runs:"), false);
});

Deno.test("report: a method not scored for a system has no bar in the attribution figure, not ROC-AUC 0", () => {
  const [dropped, ...kept] = records.attribution;
  assertEquals(kept.some((a) => a.method === dropped.method), true, "another system has it");
  const figureOf = (attribution: typeof records.attribution) => {
    const section = reportSections({ ...records, attribution }).find((s) =>
      s.kind === "figure" && s.figure.layout.title?.text === "Attribution quality (synthetic)"
    );
    assertEquals(section?.kind, "figure");
    return section!.kind === "figure" ? section!.figure.data as BarTrace[] : [];
  };
  const traces = figureOf(kept);
  const trace = traces.find((t) => t.name === dropped.system)!;
  const at = (trace.x as string[]).indexOf(dropped.method);
  assertEquals(trace.y[at], null);
  // Every other bar is its row's ROC-AUC.
  const all = figureOf(records.attribution).find((t) => t.name === dropped.system)!;
  assertEquals(all.y[(all.x as string[]).indexOf(dropped.method)], dropped.rocAuc.mean);
});

Deno.test("report: the attribution figure has ± std error bars and says over which seeds", () => {
  const section = reportSections(records).find((s) =>
    s.kind === "figure" && s.figure.layout.title?.text === "Attribution quality (synthetic)"
  );
  assert(section?.kind === "figure");
  const seeds = [...new Set(records.attribution.flatMap((a) => a.seeds))];
  assertStringIncludes(section.caption ?? "", "error bars ± one standard deviation over");
  assertStringIncludes(section.caption ?? "", `(seeds ${seeds.join(", ")})`);
  assertEquals(section.figure.layout.xaxis?.title?.text, "attribution method");
  const spread = records.attribution.filter((a) => a.rocAuc.n > 1);
  assertEquals(spread.length > 0, true, "the fixture has runs over several seeds");
  for (const a of spread) {
    const trace = (section.figure.data as BarTrace[]).find((t) =>
      t.name === a.system && t.error_y !== undefined
    )!;
    const at = (trace.x as string[]).indexOf(a.method);
    assertEquals(trace.error_y?.array[at], a.rocAuc.std);
  }
});

Deno.test("report: the noise-level figure draws each system's means, and needs two levels", () => {
  const title = "Noise level (synthetic)";
  const figureOf = (noiseLevel: typeof records.noiseLevel) =>
    reportSections({ ...records, noiseLevel }).find((s) =>
      s.kind === "figure" && s.figure.layout.title?.text === title
    );
  assertEquals(records.noiseLevel.length > 1, true);
  const section = figureOf(records.noiseLevel);
  const lines = section?.kind === "figure"
    ? (section.figure.data as { name?: string; mode?: string; y: unknown[] }[])
      .filter((t) => t.mode !== undefined)
    : [];
  assertEquals(lines.map((t) => [t.name, t.y]), [
    ["SASRec-MM", records.noiseLevel.map((n) => n.multiModal.mean)],
    ["Demure-SASRec", records.noiseLevel.map((n) => n.demure.mean)],
  ]);
  // The records' 0.5 level is the main table's (5 seeds), the others the noise-level runs' (3).
  const counts = records.noiseLevel.flatMap((n) => [n.multiModal.n, n.demure.n]);
  assertEquals([Math.min(...counts), Math.max(...counts)], [3, 5]);
  assertStringIncludes(
    section?.kind === "figure" ? section.caption ?? "" : "",
    "lines are the means, bands ± one standard deviation over 3-5 seeds",
  );
  // One level is no curve: no figure.
  assertEquals(figureOf(records.noiseLevel.slice(0, 1)), undefined);
});

Deno.test("report: a dataset with no main-table row has no main-table figure", () => {
  const titles = (summary: ReproductionSummary) =>
    reportSections(summary).flatMap((s) =>
      s.kind === "figure" && s.figure.layout.title?.text?.startsWith("Main table: ")
        ? [s.figure.layout.title.text]
        : []
    );
  const labels = Object.keys(records.main);
  assertEquals(titles(records), labels.map((label) => `Main table: ${label}`));
  const [first, ...rest] = labels;
  const emptied = { ...records.main, [first]: { ...records.main[first], rows: [] } };
  assertEquals(titles({ ...records, main: emptied }), rest.map((label) => `Main table: ${label}`));
});

Deno.test("markdown: a test by seed says the seeds tied beside those ahead", () => {
  // Synthetic Demure-GRU4Rec: 3 of its 5 runs ended with GRU4Rec-MM's own weights (early stopping
  // restored the warm-up's), so their test NDCG@10 are the same bits; "ahead in 1 of 5 seeds"
  // alone read as four losses.
  const markdown = summaryMarkdown(records);
  assertStringIncludes(
    markdown,
    "Demure-GRU4Rec vs GRU4Rec-MM: mean difference in per-user test NDCG@10 0.0004",
  );
  const line = markdown.split("\n").find((l) =>
    l.includes("- Demure-GRU4Rec vs GRU4Rec-MM: mean difference in per-user test NDCG@10 0.0004")
  )!;
  assert(line.endsWith("ahead in 1 of 5 seeds (tied in 3)"), line);
  // One tie is said too.
  const [label, table] = Object.entries(records.main).find(([, { significance }]) =>
    significance.some((s) => (s.bySeed?.tied ?? 0) > 0)
  )!;
  const significance = table.significance.map((s) =>
    s.bySeed && s.bySeed.tied > 0 ? { ...s, bySeed: { ...s.bySeed, tied: 1 } } : s
  );
  const oneTie = summaryMarkdown({
    ...records,
    main: { ...records.main, [label]: { ...table, significance } },
  });
  assertStringIncludes(oneTie, "ahead in 1 of 5 seeds (tied in 1)");
  // Without a tie nothing is added.
  const untied = markdown.split("\n").find((l) =>
    l.startsWith("- Demure-SASRec vs SASRec-MM: mean difference in per-user test NDCG@10 0.0044")
  )!;
  assert(untied.endsWith("ahead in 4 of 5 seeds"), untied);
});

// Found by mutation round BG (BG34-BG37, BG40, BG42-BG44): cases the records never show.

Deno.test("markdown: a design choice without a t-test (one seed) reads '-' for p", () => {
  const [first, ...rest] = records.designChoices;
  const markdown = summaryMarkdown({
    ...records,
    designChoices: [{ ...first, tTest: undefined }, ...rest],
  });
  assertStringIncludes(
    markdown,
    `| ${first.dataset} | ${first.choice} | ${first.seeds.join(", ")} | `,
  );
  const line = markdown.split("\n").find((l) =>
    l.startsWith(`| ${first.dataset} | ${first.choice} | `)
  )!;
  assert(line.endsWith(" | - |"), line);
});

Deno.test("markdown: a diagnosis run whose best epoch has no curve point reads '-', never NaN", () => {
  const [first, ...rest] = records.diagnosis;
  const [base, demure] = first.curves;
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: [{ ...first, curves: [base, { ...demure, bestEpoch: 999 }] }, ...rest],
  });
  const warmup = demure.warmupEndedAfterEpoch === undefined
    ? "-"
    : `${demure.warmupEndedAfterEpoch}`;
  assertStringIncludes(
    markdown,
    `| ${demure.system} | 999/${demure.epochs.length} | - | - | - | ${warmup} |`,
  );
  assertEquals(markdown.includes("NaN"), false);
});

Deno.test("markdown: a diagnosis without any modality's noise rate has no noise-rate sentence", () => {
  const [first, ...rest] = records.diagnosis;
  const sentence = "Share of each modality's (position, modality) pairs that Demure masked";
  const count = (text: string) => text.split(sentence).length - 1;
  const full = summaryMarkdown(records);
  assert(count(full) > 0, "the records' noise rates");
  const none = summaryMarkdown({
    ...records,
    diagnosis: [{ ...first, noiseRates: { measured: [], unmeasured: [] } }, ...rest],
  });
  assertEquals(count(none), count(full) - 1);
  assertEquals(none.includes("over its training: ."), false);
});

Deno.test("markdown: a popularity bucket without SASRec-MM is '–' and why, never 0", () => {
  const [first, ...rest] = records.diagnosis;
  const bucket = {
    label: "6-20",
    min: 6,
    max: 20,
    users: 40,
    bySystem: { "Demure-SASRec": { "NDCG@10": 0.0375, "HR@10": 0.075 } },
  };
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: [{ ...first, popularity: [bucket] }, ...rest],
  });
  assertStringIncludes(markdown, "| 6-20 | 40 | – | 0.0375 | – |");
  assertStringIncludes(markdown, "– no value: 6-20: SASRec-MM has no cells.");
});

Deno.test("replaceReadmeTables: the block between the markers, the rest kept, read back by readmeTablesOf", () => {
  const readme = `intro\n${README_TABLES_START}\nold tables\n${README_TABLES_END}\noutro\n`;
  const replaced = replaceReadmeTables(readme, "\n#### new\n\n| a |\n");
  assertEquals(
    replaced,
    `intro\n${README_TABLES_START}\n<!-- deno-fmt-ignore-start -->\n\n#### new\n\n| a |\n\n` +
      `<!-- deno-fmt-ignore-end -->\n${README_TABLES_END}\noutro\n`,
  );
  assertEquals(readmeTablesOf(replaced), "#### new\n\n| a |");
  // Replacing again is stable: the markers are not doubled.
  assertEquals(replaceReadmeTables(replaced, "#### new\n\n| a |"), replaced);
});

Deno.test("replaceReadmeTables: missing or swapped markers are an error naming both", () => {
  for (
    const readme of [
      "no markers\n",
      `${README_TABLES_START}\nno end\n`,
      `${README_TABLES_END}\nswapped\n${README_TABLES_START}\n`,
    ]
  ) {
    assertThrows(
      () => replaceReadmeTables(readme, "tables"),
      Error,
      `README.md: the markers "${README_TABLES_START}" and "${README_TABLES_END}" are missing`,
    );
  }
});
