/**
 * Every figure and table caption the library builds, from every such builder that mod.ts exports,
 * names the six parts of its protocol: data, split, loss, ranking (full or sampled with its
 * candidates, or "none" where nothing is ranked), seeds, and what each number is over them (mean ±
 * std, or one run). The captions are built from the records of record, whose cards use the older
 * split wording and name L_rec alone. A new builder exported from mod.ts (a name ending in Caption,
 * Figure, Figures or Table) fails here until it has a row: one that builds captions, or one listed
 * with the reason it builds none. The HTML report's figures (reportSections) are checked alike, and
 * notebooks 02-07 caption every result they display with the library.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import * as api from "../../mod.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import { reportSections } from "../../lib/experiments/html_report.ts";
import type { PlanOutcome } from "../../lib/experiments/run_plan.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { finishedCells } from "../../lib/experiments/stored_cells.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { cycleDataset } from "../models/_fixtures.ts";
import { popularityBucket } from "../experiments/_popularity_bucket.ts";

const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;
const plan = planOfResults("full", recordsDir);
const byKey = finishedCells(plan, recordsDir);
/** Every finished cell of record, with its planned cell (the settings of its system). */
const found: FinishedCell[] = plan.cells.flatMap((cell) => {
  const result = byKey.get(cell.key);
  return result ? [{ cell, result }] : [];
});
const tagged = (experiment: string) =>
  found.filter(({ cell }) => cell.experiments.includes(experiment as never));
const main = tagged("main");
const movieLens = main.filter(({ cell }) => cell.datasetLabel === "MovieLens");
const synthetic = api.datasetLabel({ kind: "synthetic", config: plan.synthetic });
/** A split made by the library today (for the captions of models trained in a notebook). */
const split = leaveOneOutSplit(cycleDataset(4, 6, 5));

/** The six parts, each as the caption must word it. */
const PARTS: [string, RegExp][] = [
  ["data", /Data: \S/],
  ["split", /Split: leave-one-out by time/],
  ["loss", /Loss: (L_rec = \S|[\w-]+: \S|.*not trained \(no loss\))/],
  ["ranking", /Ranking: (full ranking over all items|SAMPLED ranking|none \()/],
  ["seeds", /Seeds? \d+(, \d+)*: /],
  [
    "mean ± std over them",
    /: (each number a mean ± std over them|one run per number, no mean ± std|each number a mean over them, no ± std)/,
  ],
];

function assertSixParts(builder: string, caption: string): void {
  for (const [part, pattern] of PARTS) {
    assert(pattern.test(caption), `${builder}: its caption does not name the ${part}: ${caption}`);
  }
}

const demureFirst = movieLens.find(({ cell }) =>
  cell.systemName === "Demure-SASRec" && cell.seed === plan.seeds[0]
)!;
const mainRows = api.summariseSystems(
  movieLens.map(({ result }) => result),
  "MovieLens",
  plan.mainSystems,
);
const attributionRows = api.summariseAttribution(
  main.map(({ result }) => result),
  synthetic,
  "Demure-SASRec",
);
const noise = tagged("noise_level");
const ndcgCurves = api.noiseLevelCurves(noise, (result) => result.test["NDCG@10"]);

/** The records' summary, without preparing the datasets (so no popularity buckets). */
function recordsSummary() {
  const outcome = {
    plan,
    cells: found.map(({ result }) => result),
    byKey,
    pending: [],
    failed: [],
    handedOver: [],
    datasets: new Map(),
  } as unknown as PlanOutcome;
  return api.summarise(outcome);
}

/** Each caption builder of mod.ts, with the captions it builds from the records. */
const BUILDERS: Record<string, () => string[]> = {
  evaluationProtocolText: () => [api.evaluationProtocolText(movieLens)],
  protocolCaption: () => [api.protocolCaption(api.captionProtocolOf(main, "test"))],
  systemsBarsCaption: () => [api.systemsBarsCaption(mainRows, movieLens, ["NDCG@10"])],
  systemsTableCaption: () => [api.systemsTableCaption(mainRows, movieLens)],
  trainingRunCaption: () => [api.trainingRunCaption(demureFirst, "Loss of")],
  sensitivityCaption: () =>
    api.sensitivityCurves(tagged("sensitivity")).map((curve) => api.sensitivityCaption(curve)),
  attributionBarsCaption: () => [api.attributionBarsCaption(attributionRows, synthetic, main)],
  attributionTableCaption: () => [api.attributionTableCaption(attributionRows, synthetic, main)],
  explainedModelCaption: () => [
    api.explainedModelCaption(
      { cell: demureFirst.cell, data: { split }, epochs: 44, maxEpochs: 200 } as never,
      { method: "gradient_x_input", explain: "recommendation", recommendations: new Array(3) },
    ),
  ],
  attributedBatchCaption: () => [
    api.attributedBatchCaption({
      system: "SASRec-MM",
      dataset: "cycle",
      seed: 0,
      epochs: 2,
      batchSize: 4,
      method: "gradient_x_input",
      split,
      training: plan.training,
    }),
  ],
  bothRankingsTable: () => [
    api.bothRankingsTable(recordsSummary(), "MovieLens", { metrics: ["NDCG@10"] }).caption!,
  ],
  noiseLevelGainFigure: () => [api.noiseLevelGainFigure(api.noiseLevelGains(noise))!.caption!],
  noiseLevelCurvesFigure: () => [api.noiseLevelCurvesFigure(ndcgCurves)!.caption!],
  noiseLevelTable:
    () => [api.noiseLevelTable(ndcgCurves[0], "test NDCG@10", "SASRec-MM")!.caption!],
  diagnosisFigures: () => {
    const diagnosis = recordsSummary().diagnosis.find((d) => d.dataset === "MovieLens")!;
    // The popularity buckets need the prepared dataset: one bucket stands in for them.
    const sections = api.diagnosisFigures({ ...diagnosis, popularity: [popularityBucket()] });
    assertEquals(sections.length, 5, "the curves, L_cl, noise rates and popularity figures");
    return sections.map((section) => section.caption!);
  },
};

/** Builders whose names match but that build no caption of results, and why. */
const NO_RESULT_CAPTION: Record<string, string> = {
  displayTable: "renders a table; its caption is given",
  systemsTable: "lays out rows; its caption is systemsTableCaption's, given by the caller",
  statisticsTable: "describes a dataset (no result: no loss, ranking or seeds)",
  modalityCoverageTable: "describes a dataset's modalities (no result)",
  rowsTable: "turns rows into columns; no caption",
  contrastiveViewCaption: "what differs between the three views' figures; their protocol is " +
    "attributedBatchCaption's, stated once on the page (notebook 03, above section 1's heatmap)",
  attributedBatchPartCaption: "what a result of the attributed batch shows and a pointer to " +
    "attributedBatchCaption's line, stated once on the page (notebook 03)",
};

Deno.test("every caption builder exported from mod.ts has a row here", () => {
  const builders = Object.entries(api)
    .filter(([name, value]) =>
      typeof value === "function" && /(Caption|Figures?|Table)$/.test(name)
    )
    .map(([name]) => name);
  for (const name of builders) {
    assert(
      name in BUILDERS || name in NO_RESULT_CAPTION,
      `${name} is exported from mod.ts and builds captions: add it to BUILDERS`,
    );
  }
  for (const name of [...Object.keys(BUILDERS), ...Object.keys(NO_RESULT_CAPTION)]) {
    assert(name in api, `${name} is not exported from mod.ts`);
  }
});

for (const [builder, captions] of Object.entries(BUILDERS)) {
  Deno.test(`${builder}: each caption names data, split, loss, ranking, seeds and mean ± std`, () => {
    const built = captions();
    assert(built.length > 0, `${builder} built no caption from the records`);
    for (const caption of built) assertSixParts(builder, caption);
  });
}

Deno.test("captions of Demure's records name its whole objective, read from its cell", () => {
  // The records name L_rec alone; the caption adds the contrastive term with the selected lambda.
  const caption = api.trainingRunCaption(demureFirst, "Loss of");
  const lambda = demureFirst.cell.system.kind === "neural"
    ? demureFirst.cell.system.demure?.lambda
    : undefined;
  assert(lambda !== undefined, "the selected configuration names lambda");
  assertStringIncludes(caption, `lambda ${lambda} × L_cl, Demure's contrastive InfoNCE`);
  assertStringIncludes(caption, "L_rec = cross-entropy over all items, all positions");
});

Deno.test("an old card's k-core line reads as a new one's: the counts after ': kept' left out", () => {
  const card = demureFirst.result.protocol;
  const old = api.storedCardParts(card, "old");
  const now = api.storedCardParts({
    ...card,
    split: card.split.map((line) =>
      line.startsWith("5-core filtering")
        ? `${line}: kept 671 of 671 users, 3,496 of 9,066 items, 90,072 of 100,004 interactions`
        : line
    ).concat("source: MovieLens latest-small via R package dslabs"),
  }, "new");
  assertEquals(now, old);
  assertStringIncludes(old.data, "; 5-core filtering (iterated to a fixed point: 2 rounds)");
  assertStringIncludes(old.ranking, "full ranking over all items of the dataset, history items");
});

/** The code cells' text. */
function codeCells(notebook: string): string[] {
  return (JSON.parse(notebook) as { cells: { cell_type: string; source: string[] }[] })
    .cells.filter((cell) => cell.cell_type === "code").map((cell) => cell.source.join(""));
}

/** All the code of a notebook, cell after cell. */
function displayedCode(notebook: string): string {
  return codeCells(notebook).join("\n");
}

/** Each `display(...)` / `displayTable(...)` call's text (balanced parentheses) in code cells. */
function displayedCalls(notebook: string): string[] {
  const cells = codeCells(notebook);
  const calls: string[] = [];
  for (const code of cells) {
    for (const match of code.matchAll(/\bdisplay(Table)?\(/g)) {
      let depth = 0;
      let end = match.index!;
      for (; end < code.length; end++) {
        if (code[end] === "(") depth++;
        if (code[end] === ")" && --depth === 0) break;
      }
      calls.push(code.slice(match.index!, end + 1));
    }
  }
  return calls;
}

/**
 * What a displayed result's caption is built with: a library caption builder, a variable holding
 * one (notebook 05's `modelCaption`, 03's `batchCaption`, 07's `protocolOf`), or a figure section's
 * own caption. A dataset's statistics tables describe data, not results. Notebook 03 prints
 * `batchCaption` once and its results point to it (`attributedBatchPartCaption`;
 * batch_protocol_once53b_test checks the line is there).
 */
const LIBRARY_CAPTION =
  /\bnoiseLevelTable\(|\b\w+Caption\(|\bmodelCaption\b|\bbatchCaption\b|\.caption\b|\bprotocolOf\(|evaluationProtocolText\(|protocolCaption\(|statisticsTable\(|modalityCoverageTable\(/;

for (
  const name of [
    "02_baselines",
    "03_demure_step_by_step",
    "04_ablations_sensitivity",
    "05_explanations",
    "06_ground_truth",
    "07_why_demure_loses",
  ]
) {
  Deno.test(`notebook ${name}: every result it displays is captioned by the library`, async () => {
    const notebook = await Deno.readTextFile(
      new URL(`../../notebooks/${name}.ipynb`, import.meta.url),
    );
    const calls = displayedCalls(notebook);
    assert(calls.length > 0, `${name} displays nothing`);
    const code = displayedCode(notebook);
    for (const call of calls) {
      // A table built in a variable: what the variable was built with.
      const variable = /^display(?:Table)?\((\w+)\)$/.exec(call)?.[1];
      const built = variable === undefined
        ? call
        : new RegExp(`const ${variable} = [^;]*;`).exec(code)?.[0] ?? call;
      assert(LIBRARY_CAPTION.test(built), `${name}: a hand-written caption: ${built}`);
    }
  });
}

Deno.test("the HTML report's figures each name the six parts (main tables, diagnosis, noise level, attribution)", () => {
  const sections = reportSections(recordsSummary()).filter((section) => section.kind === "figure");
  const titles = sections.map((section) =>
    section.kind === "figure" ? section.figure.layout.title?.text ?? "" : ""
  );
  for (const title of ["Main table: MovieLens", "Noise level (synthetic)"]) {
    assert(titles.includes(title), `the report has no figure "${title}": ${titles.join(" | ")}`);
  }
  assert(titles.includes("Attribution quality (synthetic)"), titles.join(" | "));
  for (const section of sections) {
    if (section.kind !== "figure") continue;
    assertSixParts(`report figure "${section.figure.layout.title?.text}"`, section.caption ?? "");
  }
});

Deno.test("a summary without a figure's protocol is refused by the report, naming the figure", () => {
  const summary = recordsSummary();
  const error = assertThrows(() =>
    reportSections({
      ...summary,
      figureProtocols: { ...summary.figureProtocols, noiseLevel: undefined },
    })
  );
  assertStringIncludes(error.message, "figureProtocols.noiseLevel");
});
