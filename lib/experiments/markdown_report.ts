/**
 * The markdown report of a reproduction (`summary.md`) and the README's generated tables, both
 * from a {@linkcode ReproductionSummary}. Every table carries its protocol: dataset statistics,
 * split, loss, ranking, stopping, selection budget, seeds.
 *
 * @example
 * ```ts
 * const markdown = summaryMarkdown(summarise(outcome));
 * const readme = replaceReadmeTables(Deno.readTextFileSync("README.md"), readmeTables(summary));
 * ```
 */
import {
  type ColdStartBucket,
  coldStartGap,
  type MeanStd,
  type SignificanceResult,
  type SystemSummary,
} from "./analyse.ts";
import { SCORED_NOISE_FRACTION } from "./attribution_quality.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { MISSING_CELL, reportNumber, signedDifference } from "../viz/table_html.ts";
import { rankingText, TABLE_METRICS } from "./summary.ts";
import type { MainRow, ReproductionSummary, SensitivityRow } from "./summary_types.ts";

/** "0.1234 ± 0.0012" over several seeds, "0.1234" for one. */
export function formatMeanStd(value: MeanStd): string {
  return value.n > 1
    ? `${reportNumber(value.mean)} ± ${reportNumber(value.std)}`
    : reportNumber(value.mean);
}

/**
 * A table; numbers with 4 decimals, a missing one (NaN, or null as a result file holds it) as "–"
 * (its reason said below the table).
 */
function markdownTable(columns: string[], rows: (string | number | null)[][]): string {
  // A "|" in a cell (a dataset label is the user's: a file name, a label in the settings) is
  // written "\|", as GitHub's tables read it: bare, it split the cell, and the report's own reader
  // refused the row as too wide, so the report was not written.
  const text = (c: string | number | null) =>
    typeof c === "string"
      ? c.replaceAll("|", "\\|")
      : c === null || Number.isNaN(c)
      ? MISSING_CELL
      : reportNumber(c);
  const line = (cells: (string | number | null)[]) => `| ${cells.map(text).join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "– : 0-5: no test user's item has ...; ..." for the buckets' missing values, else none. */
function coldStartGapLines(buckets: readonly ColdStartBucket[], systems: readonly string[]) {
  const gaps = buckets.flatMap((bucket) => {
    const reasons = [...new Set(systems.flatMap((s) => coldStartGap(bucket, s) ?? []))];
    return reasons.length === 0 ? [] : [`${bucket.label}: ${reasons.join("; ")}`];
  });
  return gaps.length === 0 ? [] : [`${MISSING_CELL} no value: ${gaps.join("; ")}.`, ""];
}

/** A sensitivity row's paired difference, with its seeds where they are not all the row's. */
function sensitivityDifference(row: SensitivityRow): string {
  if (row.testVsSelected === undefined) return "-";
  const all = row.pairedSeeds.length === row.seeds.length;
  return signedDifference(row.testVsSelected) +
    (all ? "" : ` (seeds ${row.pairedSeeds.join(", ")})`);
}

/** Marks a best epoch whose weights are the backbone's (`endedWithBackboneWeights`). */
const BACKBONE_MARK = " (w)";

const CONFIGURED: Record<MainRow["configuredBy"], string> = {
  selection: "selected",
  trial: "trial",
  defaults: "defaults",
  "backbone selection": "defaults + backbone's lr, dropout",
};

/**
 * A main-table row's best epochs as the tables show them: each seed's, in seed order, "(w)" after
 * one whose weights are its backbone's (`endedWithBackboneWeights`), "(cap)" at the end when a run
 * ended at its epoch cap; "-" for a system without training.
 */
export function bestEpochsText(row: MainRow): string {
  if (row.bestEpochs.length === 0) return "-";
  const epochs = row.bestEpochs.map((e, i) => `${e}${row.backboneWeights[i] ? BACKBONE_MARK : ""}`);
  return `${epochs.join(", ")}${row.capBound ? " (cap)" : ""}`;
}

function mainTableRows(rows: MainRow[]): (string | number)[][] {
  return rows.map((r) => [
    r.system,
    `${r.seeds.length}`,
    ...TABLE_METRICS.map((m) => formatMeanStd(r.test[m])),
    CONFIGURED[r.configuredBy],
    bestEpochsText(r),
    `${r.meanTrainSeconds.toFixed(0)} s`,
  ]);
}

function systemRows(rows: SystemSummary[]): (string | number)[][] {
  return rows.map((r) => [
    r.system,
    `${r.seeds.length}`,
    ...TABLE_METRICS.map((m) => formatMeanStd(r.test[m])),
    `${r.meanTrainSeconds.toFixed(0)} s`,
  ]);
}

/**
 * What the paired tests' p-values do and do not count, said under every list of them: the tests
 * over users hold the trained models fixed; the seed-paired test counts the runs' variation.
 */
const SEED_AND_MULTIPLICITY_NOTE = " Every p-value is two-sided. The tests over users hold the " +
  "trained models fixed (their p-values leave out the variation between training runs); the " +
  "t-test paired by seed counts it, on as many pairs as seeds. The Wilcoxon test leaves out the " +
  "users whose two values are equal (its n counts the others). No correction for the number of " +
  "tests in this report is applied:";

/**
 * What a "mean ± std" cell of a table of systems is, said under each such table: the std is the
 * sample standard deviation (n - 1, `meanStd`) over the seeds the row's "seeds" column counts.
 */
const SPREAD_NOTE = "Mean ± sample standard deviation (n − 1) over the seeds counted in the " +
  "seeds column; a row of one seed has no spread.";

/**
 * What the p-values of a table of seed-paired differences are, said under it: the tables of
 * design choices and sensitivity hold a test per row, and none is corrected for the others.
 */
const SEED_TEST_NOTE = "± is the sample standard deviation (n − 1). The t-test is two-sided " +
  "and paired by seed (degrees of freedom: seeds − 1); no correction for the number of tests in " +
  "this report is applied. Differences are of the unrounded values, so one may differ by a " +
  "unit in the last place from the difference of the two printed means.";

function significanceLine(s: SignificanceResult): string {
  return `${s.system} vs ${s.baseline}: mean difference in ` +
    `per-user test NDCG@10 ${reportNumber(s.tTest.meanDifference)}, paired t-test p = ` +
    `${s.tTest.pValue.toPrecision(3)}, Wilcoxon p = ${s.wilcoxon.pValue.toPrecision(3)} ` +
    `(n = ${s.tTest.n} users; Wilcoxon over the ${s.wilcoxon.n} whose difference is not 0)` +
    (s.bySeed
      ? `; paired by seed: t-test p = ${s.bySeed.pValue.toPrecision(3)}, ahead in ` +
        `${s.bySeed.ahead} of ${s.bySeed.n} seeds` +
        (s.bySeed.tied > 0 ? ` (tied in ${s.bySeed.tied})` : "")
      : "");
}

/** `intro` and one line per paired test, as markdown lines; nothing when there are no tests. */
function significanceList(intro: string, tests: readonly SignificanceResult[]): string[] {
  if (tests.length === 0) return [];
  return [intro, "", ...tests.map((s) => `- ${significanceLine(s)}`), ""];
}

/** The tables shared by the report and the README, with headings at `level` (2 = "##"). */
function tables(summary: ReproductionSummary, level: number, readme = false): string[] {
  const h = (text: string) => `${"#".repeat(level)} ${text}`;
  return [
    ...budgetSection(summary, h),
    ...convergenceSection(summary),
    ...mainSections(summary, h),
    ...(readme ? [] : otherRankingSections(summary, h)),
    ...selectionSection(summary, h),
    ...ablationSections(summary, h),
    ...designChoiceSection(summary, h),
    ...diagnosisSections(summary, h),
    ...noiseLevelSection(summary, h),
    ...sensitivitySections(summary, h),
    ...coldStartSections(summary, h),
    ...attributionSection(summary, h),
    ...totalsLines(summary),
  ];
}

/** The stopping rule and the selection budget of each dataset. */
function budgetSection(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  parts.push(h("Budget: stopping and selection per dataset"), "");
  parts.push(
    markdownTable(
      ["dataset", "epoch cap", "patience", "trials per system", "selected systems", "seeds"],
      summary.budgets.map((b) => [
        b.dataset,
        `${b.maxEpochs}`,
        `${b.patience}`,
        `${b.trials}`,
        b.selected.join(", ") || "none",
        b.seeds.join(", "),
      ]),
    ),
    "",
  );
  return parts;
}

/** How the neural runs ended: at the cap, or with their backbone's weights. */
function convergenceSection(summary: ReproductionSummary): string[] {
  const parts: string[] = [];
  const c = summary.convergence;
  parts.push(
    `Convergence: ${c.capBound} of ${c.neuralCells} finished neural runs ended at the epoch cap ` +
      `(goal 0); the latest best epoch of any run is ${c.maxBestEpoch} (smallest cap ${c.minCap}).`,
    ...(c.capBound > 0 && c.capBound <= 10
      ? ["", `Cap-bound runs: ${c.capBoundKeys.join(", ")}`]
      : []),
    "",
    ...(c.backboneWeightsKeys.length > 0
      ? [
        `Ended with their backbone's weights (best epoch marked ${BACKBONE_MARK.trim()} below): ` +
        `${c.backboneWeightsKeys.length} of ${c.demureCells} finished Demure-family runs, whose ` +
        "best validation epoch was in the warm-up (or whose denoising never started), so early " +
        "stopping restored weights that the backbone's objective alone trained: their numbers " +
        "are their backbone's at the same settings and seed, not Demure's: " +
        `${c.backboneWeightsKeys.join(", ")}.`,
        "",
      ]
      : []),
  );
  return parts;
}

/** Each dataset's main table with its paired tests. */
function mainSections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const [label, { rows, significance }] of Object.entries(summary.main)) {
    if (rows.length === 0) continue;
    parts.push(h(`Main table: ${label} (test, mean ± std over seeds)`), "");
    parts.push(
      markdownTable(
        ["system", "seeds", ...TABLE_METRICS, "configuration", "best epochs", "train time"],
        mainTableRows(rows),
      ),
      "",
      SPREAD_NOTE,
      "",
    );
    parts.push(...significanceList(
      "Paired tests on per-user test NDCG@10 (averaged over seeds), against the strongest " +
        "baseline chosen on validation NDCG@10 and against the same backbone without denoising." +
        SEED_AND_MULTIPLICITY_NOTE,
      significance,
    ));
  }
  return parts;
}

/** The main tables under the other ranking protocol (summary.md only: the README keeps the plan's). */
function otherRankingSections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const [label, { ranking, rows }] of Object.entries(summary.otherRanking)) {
    if (rows.length === 0) continue;
    parts.push(
      h(`Main table: ${label}, test under the other ranking protocol [${ranking}]`),
      "",
      "The same trained models (selected on validation under the protocol above), tested with " +
        rankingText(ranking) + ":",
      "",
    );
    parts.push(
      markdownTable(["system", "seeds", ...TABLE_METRICS, "train time"], systemRows(rows)),
      "",
      SPREAD_NOTE,
      "",
    );
  }
  return parts;
}

/** Every selection's trials on validation. */
function selectionSection(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  if (summary.selection.length > 0) {
    parts.push(h("Selection on validation (first seed; test not read)"), "");
    for (const table of summary.selection) {
      if (table.finished === 0) {
        parts.push(
          `**${table.system} on ${table.dataset}**: none of ${table.budget} trials finished.`,
          "",
        );
        continue;
      }
      parts.push(
        `**${table.system} on ${table.dataset}**: ${table.finished} of ${table.budget} trials ` +
          `finished; trials start from: ${table.inherited}.`,
        "",
        markdownTable(
          ["trial", "settings", "valid NDCG@10", "best epoch", "chosen"],
          table.rows.map((r) => [
            `${r.trial}`,
            r.settings,
            r.diverged ? "diverged" : reportNumber(r.valid),
            `${r.bestEpoch}${r.backboneWeights ? BACKBONE_MARK : ""}/${r.epochsRun}${
              r.capBound ? " (cap)" : ""
            }`,
            r.chosen ? "yes" : "",
          ]),
        ),
        "",
      );
    }
  }
  return parts;
}

/** Each dataset's ablation with its paired tests. */
function ablationSections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const [label, rows] of Object.entries(summary.ablation)) {
    if (rows.length === 0) continue;
    parts.push(h(`Ablation: ${label}`), "");
    parts.push(
      markdownTable(["system", "seeds", ...TABLE_METRICS, "train time"], systemRows(rows)),
      "",
      SPREAD_NOTE,
      "",
    );
    parts.push(...significanceList(
      "Paired tests on per-user test NDCG@10 (averaged over seeds) of each one-component " +
        "system against neither component (SASRec-MM) and both (Demure-SASRec), and of the " +
        "random-mask control (RandomInputMasks-SASRec) against the attributed masks it controls " +
        "(AttributionOnly-SASRec) and SASRec-MM." +
        SEED_AND_MULTIPLICITY_NOTE,
      summary.ablationSignificance[label] ?? [],
    ));
  }
  return parts;
}

/** Demure's design choices, each flipped from the selected configuration. */
function designChoiceSection(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  if (summary.designChoices.length > 0) {
    parts.push(
      h(
        "Design choices of Demure-SASRec (one choice flipped from the selected configuration, " +
          "mean ± std over seeds)",
      ),
      "",
    );
    parts.push(
      markdownTable(
        [
          "dataset",
          "choice flipped",
          "seeds",
          "valid NDCG@10 (selected / flipped)",
          "test NDCG@10 selected",
          "test NDCG@10 flipped",
          "test flipped vs selected (paired by seed)",
          "paired t-test p",
        ],
        summary.designChoices.map((d) => [
          d.dataset,
          d.choice,
          d.seeds.join(", "),
          `${formatMeanStd(d.selected.valid)} / ${formatMeanStd(d.flipped.valid)}`,
          formatMeanStd(d.selected.test),
          formatMeanStd(d.flipped.test),
          signedDifference(d.testVsSelected),
          d.tTest ? d.tTest.pValue.toPrecision(3) : "-",
        ]),
      ),
      "",
      "Both sides over the same seeds: the flipped cell and the main table's Demure-SASRec cell " +
        "at each seed where both finished, mean ± std over them (no spread for one seed); the " +
        "difference is per seed, averaged; the t-test needs two seeds. " + SEED_TEST_NOTE,
      "",
    );
  }
  return parts;
}

/** Demure-SASRec against SASRec-MM, per dataset: curves, noise rates, gain by popularity. */
function diagnosisSections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const d of summary.diagnosis) {
    parts.push(
      h(`Diagnosis: Demure-SASRec vs SASRec-MM on ${d.dataset} (runs of the first seed)`),
      "",
    );
    const [base, demure] = d.curves;
    const row = (curve: typeof base) => {
      const i = curve.epochs.indexOf(curve.bestEpoch);
      return [
        curve.system,
        `${curve.bestEpoch}/${curve.epochs.length}`,
        i < 0 ? "-" : reportNumber(curve.validNdcg[i]),
        i < 0 ? "-" : reportNumber(curve.recommendationLoss[i]),
        i < 0 ? "-" : reportNumber(curve.auxiliaryLoss[i]),
        curve.warmupEndedAfterEpoch !== undefined ? `${curve.warmupEndedAfterEpoch}` : "-",
      ];
    };
    parts.push(
      markdownTable(
        [
          "system",
          "best epoch / epochs run",
          "valid NDCG@10 at best",
          "L_rec at best",
          "lambda L_cl at best",
          "warm-up ended after epoch",
        ],
        [row(base), row(demure)],
      ),
      "",
    );
    const { measured, unmeasured } = d.noiseRates;
    if (measured.length + unmeasured.length > 0) {
      // A modality without pairs under a mask has no rate: "–" and why, never "0 %" (a null
      // rate read from a result file once printed as 0 %).
      const rates = [
        ...measured.map(({ modality, rate }) => `${modality} ${(100 * rate).toFixed(0)} %`),
        ...unmeasured.map(({ modality, reason }) => `${modality} ${MISSING_CELL} (${reason})`),
      ];
      parts.push(
        "Share of each modality's (position, modality) pairs that Demure masked as noise, over " +
          `its training: ${rates.join(", ")}.`,
        "",
      );
    }
    if (d.popularity.length > 0) {
      parts.push(
        "Test NDCG@10 by the test item's training interactions, each user's NDCG@10 averaged " +
          "over all of the main table's seeds (not the first seed's runs only):",
        "",
        markdownTable(
          [
            "test item's training interactions",
            "users",
            "SASRec-MM",
            "Demure-SASRec",
            "gain",
          ],
          d.popularity.map((b) => {
            const base = b.bySystem["SASRec-MM"]?.["NDCG@10"] ?? NaN;
            const ours = b.bySystem["Demure-SASRec"]?.["NDCG@10"] ?? NaN;
            return [b.label, `${b.users}`, base, ours, ours - base];
          }),
        ),
        "",
        ...coldStartGapLines(d.popularity, ["SASRec-MM", "Demure-SASRec"]),
      );
    }
  }
  return parts;
}

/** The noise-level curve on the synthetic data. */
function noiseLevelSection(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  if (summary.noiseLevel.length > 0) {
    parts.push(h("Noise level (synthetic): test NDCG@10"), "");
    parts.push(
      markdownTable(
        ["planted noise share", "seeds", "SASRec-MM", "Demure-SASRec", "gain (paired by seed)"],
        summary.noiseLevel.map((n) => [
          String(n.noiseFraction),
          // Each mean's own count: the 0.5 level is the main table's cells (5 seeds in the
          // records), the others the noise-level runs' (3), and a partial run may differ by system.
          n.multiModal.n === n.demure.n ? `${n.demure.n}` : `${n.multiModal.n} / ${n.demure.n}`,
          formatMeanStd(n.multiModal),
          formatMeanStd(n.demure),
          signedDifference(n.gain),
        ]),
      ),
      "",
      "Mean ± sample standard deviation (n − 1) over the seeds counted (SASRec-MM / " +
        "Demure-SASRec where they differ); the gain is Demure-SASRec minus SASRec-MM at each " +
        "seed both finished, averaged (of the unrounded values: it may differ by a unit in the last " +
        "place from the difference of the printed means); no test is made per planted noise share.",
      "",
    );
  }
  return parts;
}

/** One sensitivity table per dataset with a sweep; an unfinished sweep shows its finished rows. */
function sensitivitySections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const dataset of new Set(summary.sensitivity.map((row) => row.dataset))) {
    parts.push(
      h(
        `Sensitivity: ${dataset} (Demure-SASRec around its selected configuration, ` +
          "mean ± std over seeds)",
      ),
      "",
    );
    parts.push(
      markdownTable(
        [
          "parameter",
          "value",
          "seeds",
          "valid NDCG@10",
          "test NDCG@10",
          "test vs selected (paired by seed)",
          "paired t-test p",
        ],
        summary.sensitivity.filter((row) => row.dataset === dataset).map((row) => [
          row.parameter,
          row.selected ? `${row.value} (selected)` : String(row.value),
          row.seeds.join(", "),
          formatMeanStd(row.valid),
          formatMeanStd(row.test),
          sensitivityDifference(row),
          row.tTest ? row.tTest.pValue.toPrecision(3) : "-",
        ]),
      ),
      "",
      "Each seed counts once: the selected value's run at a seed is the main table's " +
        "Demure-SASRec cell. Differences are per seed against it, averaged over the seeds where " +
        "both finished (named when fewer than the row's); the t-test needs two such seeds. " +
        SEED_TEST_NOTE,
      "",
    );
  }
  return parts;
}

/** Cold start, per dataset (in the README too: the paper's cold-start claim is read here). */
function coldStartSections(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  for (const [label, buckets] of Object.entries(summary.coldStart)) {
    const systems = Object.keys(buckets[0]?.bySystem ?? {});
    if (systems.length === 0) continue;
    parts.push(
      h(`Cold start: ${label} (test NDCG@10 by training interactions of the test item)`),
      "",
      "Each user's test NDCG@10 averaged over the system's seeds, then over the bucket's users. " +
        "The 5-core filter keeps only items with at least 5 interactions, so no test item is new: " +
        "the lowest bucket holds the rarest items, not unseen ones.",
      "",
    );
    parts.push(
      markdownTable(
        ["test item's training interactions", "users", ...systems],
        buckets.map((b) => [
          b.label,
          String(b.users),
          ...systems.map((s) => b.bySystem[s]["NDCG@10"]),
        ]),
      ),
      "",
      ...coldStartGapLines(buckets, systems),
    );
  }
  return parts;
}

/** Attribution against the planted truth. */
function attributionSection(summary: ReproductionSummary, h: (text: string) => string): string[] {
  const parts: string[] = [];
  if (summary.attribution.length > 0) {
    parts.push(
      h(`Attribution against the planted truth (synthetic, rho = ${SCORED_NOISE_FRACTION})`),
      "",
      "Each main-table run's trained model, attributed on the test-stage histories of the first " +
        "256 users (the id modality, which has no truth, left out); mean ± sample standard " +
        "deviation (n − 1) over the seeds listed (a run reused from its selection trial is not attributed: the first seed's). " +
        "ROC-AUC over (user, position, modality) pairs, or over (user, modality) after averaging " +
        "over the history; precision and recall of the bottom-rho noise pairs.",
      "",
    );
    parts.push(
      markdownTable(
        [
          "model",
          "method",
          "seeds",
          "ROC-AUC (pairs)",
          "ROC-AUC (user x modality)",
          "precision",
          "recall",
          "seconds",
        ],
        summary.attribution.map((a) => [
          a.system,
          a.method,
          a.seeds.join(", "),
          formatMeanStd(a.rocAuc),
          formatMeanStd(a.userModalityRocAuc),
          formatMeanStd(a.precision),
          formatMeanStd(a.recall),
          a.seconds.toFixed(1),
        ]),
      ),
      "",
    );
  }
  return parts;
}

/** The cells and training summed, and whether the run is partial. */
function totalsLines(summary: ReproductionSummary): string[] {
  const parts: string[] = [];
  parts.push(
    `${summary.cells} cells, ${(summary.totalTrainSeconds / 60).toFixed(1)} min of training ` +
      "(summed over cells).",
  );
  if (summary.pending.length > 0) {
    parts.push(
      "",
      `**Partial run**: ${summary.pending.length} cells of the plan have not finished ` +
        "(`deno task reproduce --select` resumes them).",
    );
  }
  return parts;
}

/** The markdown report (`summary.md`). */
export function summaryMarkdown(summary: ReproductionSummary): string {
  const parts: string[] = [`# Demure reproduction (${summary.mode} mode)`, "", "## Protocol", ""];
  parts.push(...summary.protocol.map((line) => `- ${line}`), "");
  for (const [label, info] of Object.entries(summary.datasets)) {
    // The split's lines name the source files and what the filter kept: the statistics alone
    // describe the data after filtering, not where it came from.
    parts.push(`### ${label}`, "", "```", info.statistics, "```", "");
    parts.push(...info.split.map((line) => `- ${line}`), "");
  }
  parts.push(...tables(summary, 2));
  return parts.join("\n") + "\n";
}

/** The README's generated tables (between the tables markers), headings at level 4. */
export function readmeTables(summary: ReproductionSummary): string {
  return tables(summary, 4, true).join("\n");
}

/** Marks the start of the generated tables in README.md. */
export const README_TABLES_START = "<!-- tables:start (generated by `deno task report`) -->";
/** Marks the end of the generated tables in README.md. */
export const README_TABLES_END = "<!-- tables:end -->";
// `deno fmt` leaves the generated block as written, so that it compares equal to a fresh one.
const FMT_IGNORE_START = "<!-- deno-fmt-ignore-start -->";
const FMT_IGNORE_END = "<!-- deno-fmt-ignore-end -->";

/** The generated block of `readme` (between the markers), or undefined when it has none. */
export function readmeTablesOf(readme: string): string | undefined {
  const start = readme.indexOf(README_TABLES_START);
  const end = readme.indexOf(README_TABLES_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_TABLES_START.length, end).trim()
    .replace(FMT_IGNORE_START, "").replace(FMT_IGNORE_END, "").trim();
}

/** `readme` with its generated block replaced by `tablesMarkdown`. */
export function replaceReadmeTables(readme: string, tablesMarkdown: string): string {
  const start = readme.indexOf(README_TABLES_START);
  const end = readme.indexOf(README_TABLES_END);
  if (start < 0 || end < start) {
    throw new Error(
      `README.md: the markers "${README_TABLES_START}" and "${README_TABLES_END}" are missing`,
    );
  }
  return readme.slice(0, start + README_TABLES_START.length) + "\n" + FMT_IGNORE_START +
    "\n\n" + tablesMarkdown.trim() + "\n\n" + FMT_IGNORE_END + "\n" + readme.slice(end);
}

/**
 * Replaces the generated tables of the README at `readmePath` with `tablesMarkdown`, atomically (a
 * write cut short, a full disk, truncated the README, its prose with it), its temporary in
 * `temporaryFolder`: the report's tasks may write the README itself but no sibling of it (a
 * temporary beside it was refused, NotCapable, whenever the tables changed). Whether it changed.
 */
export function updateReadmeTables(
  readmePath: string,
  tablesMarkdown: string,
  temporaryFolder: string,
): "updated" | "unchanged" {
  const readme = Deno.readTextFileSync(readmePath);
  const updated = replaceReadmeTables(readme, tablesMarkdown);
  if (updated === readme) return "unchanged";
  // Its error names the README (writeFilesAtomically starts a write cut short with the path).
  writeFilesAtomically([{ path: readmePath, data: updated, temporaryFolder }]);
  return "updated";
}
