/**
 * What summary.md says beyond the README's tables: the protocol and split lines, a table only
 * where it has rows, the paired tests' intro only over tests, a partial run named. Found by
 * mutation round KK; the budget, selection, ablation and sensitivity cases the records never show
 * (no system selected, unfinished or cap-bound trials, an unpaired sensitivity row) by round OO.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  formatMeanStd,
  README_TABLES_END,
  README_TABLES_START,
  readmeTablesOf,
  summaryMarkdown,
} from "../../lib/experiments/markdown_report.ts";
import { reportNumber } from "../../lib/viz/table_html.ts";
import { recordsSummary } from "./_records_summary.ts";

const records = await recordsSummary();

Deno.test("summary.md: every protocol line and each dataset's split lines, as list items", () => {
  const markdown = summaryMarkdown(records);
  assert(records.protocol.length > 0, "the records' protocol");
  for (const line of records.protocol) assertStringIncludes(markdown, `\n- ${line}\n`);
  for (const [label, info] of Object.entries(records.datasets)) {
    assertStringIncludes(markdown, `### ${label}\n`);
    assert(info.split.length > 0, `${label}: split lines`);
    for (const line of info.split) assertStringIncludes(markdown, `\n- ${line}\n`);
  }
});

Deno.test("summary.md: a dataset without main-table rows has no table and no paired tests", () => {
  const [label, main] = Object.entries(records.main)[0];
  assert(main.significance.length > 0, "the records' paired tests");
  const intro =
    "Paired tests on per-user test NDCG@10 (averaged over seeds), against the strongest";
  const count = (text: string, part: string) => text.split(part).length - 1;
  const full = summaryMarkdown(records);
  const emptied = summaryMarkdown({
    ...records,
    main: { ...records.main, [label]: { rows: [], significance: [] } },
  });
  assertEquals(emptied.includes(`Main table: ${label} (test`), false);
  assertEquals(count(emptied, intro), count(full, intro) - 1);
  // Rows without a paired test: the table, but no intro to an empty list.
  const untested = summaryMarkdown({
    ...records,
    main: { ...records.main, [label]: { ...main, significance: [] } },
  });
  assertStringIncludes(untested, `Main table: ${label} (test`);
  assertEquals(count(untested, intro), count(full, intro) - 1);
});

Deno.test("summary.md: one pending cell already makes the run partial", () => {
  const one = summaryMarkdown({ ...records, pending: ["cell-0"] });
  assertStringIncludes(one, "**Partial run**: 1 cells of the plan have not finished");
  assertEquals(summaryMarkdown({ ...records, pending: [] }).includes("Partial run"), false);
});

Deno.test("readmeTablesOf: an end marker before the start marker is no block", () => {
  const readme = `${README_TABLES_END}\nold\n${README_TABLES_START}\n`;
  assertEquals(readmeTablesOf(readme), undefined);
  assertEquals(readmeTablesOf(`${README_TABLES_START}\nkept\n${README_TABLES_END}`), "kept");
});

Deno.test("summary.md: a design choice's p-value keeps three significant digits below 0.1", () => {
  const [first, ...rest] = records.designChoices;
  assert(first !== undefined && first.tTest !== undefined, "the records' design choices");
  const markdown = summaryMarkdown({
    ...records,
    designChoices: [{ ...first, tTest: { ...first.tTest, pValue: 0.001234 } }, ...rest],
  });
  assertStringIncludes(markdown, " | 0.00123 |");
});

Deno.test("summary.md: a cold-start value held as null (NaN in a result file) is '–', not 0", () => {
  const [label, buckets] = Object.entries(records.coldStart)[0];
  const systems = Object.keys(buckets[0].bySystem);
  // JSON has no NaN: a bucket read back from a result file holds null.
  const empty = JSON.parse(JSON.stringify({
    label: ">= 5000",
    min: 5000,
    max: null,
    users: 0,
    bySystem: Object.fromEntries(systems.map((s) => [s, { "NDCG@10": NaN, "HR@10": NaN }])),
  }));
  const markdown = summaryMarkdown({
    ...records,
    coldStart: { ...records.coldStart, [label]: [...buckets, empty] },
  });
  assertStringIncludes(markdown, `| >= 5000 | 0 | ${systems.map(() => "–").join(" | ")} |`);
});

Deno.test("summary.md: one run ended with its backbone's weights is already named", () => {
  const withKeys = (keys: string[]) =>
    summaryMarkdown({
      ...records,
      convergence: { ...records.convergence, backboneWeightsKeys: keys },
    });
  const demureCells = records.convergence.demureCells;
  assertStringIncludes(
    withKeys(["cell-0"]),
    `Ended with their backbone's weights (best epoch marked (w) below): 1 of ${demureCells} `,
  );
  assertStringIncludes(withKeys(["cell-0"]), "not Demure's: cell-0.\n");
  assertEquals(withKeys([]).includes("Ended with their backbone's weights"), false);
});

Deno.test("summary.md: a diagnosis whose every modality has no rate still says so, with why", () => {
  const [first, ...rest] = records.diagnosis;
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: [{
      ...first,
      noiseRates: { measured: [], unmeasured: [{ modality: "text", reason: "no pairs" }] },
    }, ...rest],
  });
  assertStringIncludes(markdown, "over its training: text – (no pairs).");
});

Deno.test("summary.md: a dataset without cold-start buckets has no cold-start section", () => {
  const markdown = summaryMarkdown({ ...records, coldStart: { ...records.coldStart, Empty: [] } });
  assertEquals(markdown.includes("Cold start: Empty"), false);
});

Deno.test("summary.md: a dataset that selected no system reads 'none' in the budget table", () => {
  const [first, ...rest] = records.budgets;
  const markdown = summaryMarkdown({ ...records, budgets: [{ ...first, selected: [] }, ...rest] });
  assertStringIncludes(
    markdown,
    `| ${first.dataset} | ${first.maxEpochs} | ${first.patience} | ${first.trials} | none | ` +
      `${first.seeds.join(", ")} |`,
  );
});

Deno.test("summary.md: a selection says how many of its trials finished, a cap-bound trial, none finished", () => {
  // Every recorded selection finished all its trials, none at the cap: "3 of 3" could not tell
  // the finished count from the budget.
  const [table, next, ...rest] = records.selection;
  const [first, ...others] = table.rows;
  const partial = summaryMarkdown({
    ...records,
    selection: [
      { ...table, finished: table.budget - 1, rows: [{ ...first, capBound: true }, ...others] },
      next,
      ...rest,
    ],
  });
  assertStringIncludes(
    partial,
    `**${table.system} on ${table.dataset}**: ${table.budget - 1} of ${table.budget} trials ` +
      `finished; trials start from: ${table.inherited}.`,
  );
  const mark = first.backboneWeights ? " (w)" : "";
  assertStringIncludes(
    partial,
    `| ${first.trial} | ${first.settings} | ${reportNumber(first.valid)} | ` +
      `${first.bestEpoch}${mark}/${first.epochsRun} (cap) |`,
  );
  // No trial finished: the line says so, with no table and no "0 of" line after it.
  const none = summaryMarkdown({
    ...records,
    selection: [{ ...table, finished: 0, rows: [] }, next, ...rest],
  });
  const said = `**${table.system} on ${table.dataset}**: none of ${table.budget} trials finished.`;
  assertStringIncludes(none, `${said}\n\n**${next.system} on ${next.dataset}**: `);
  assertEquals(none.includes(`**${table.system} on ${table.dataset}**: 0 of`), false);
});

Deno.test("summary.md: no selection, or a dataset without ablation rows, has no heading", () => {
  const markdown = summaryMarkdown({
    ...records,
    selection: [],
    ablation: { ...records.ablation, Empty: [] },
  });
  assertEquals(markdown.includes("Selection on validation"), false);
  assertEquals(markdown.includes("Ablation: Empty"), false);
  assert(Object.keys(records.ablation).length > 0, "the records' ablation");
  for (const label of Object.keys(records.ablation)) {
    assertStringIncludes(markdown, `Ablation: ${label}\n`);
  }
});

Deno.test("summary.md: a sensitivity row names its own seeds; without a pair its difference is '-'", () => {
  const index = records.sensitivity.findIndex((row) => !row.selected && row.tTest !== undefined);
  assert(index >= 0, "the records' sensitivity rows");
  const row = records.sensitivity[index];
  assert(row.seeds.length > 1, "a row of several seeds");
  const unpaired = [...records.sensitivity];
  unpaired[index] = { ...row, testVsSelected: undefined, pairedSeeds: [], tTest: undefined };
  const head = `| ${row.parameter} | ${row.value} | ${row.seeds.join(", ")} | ` +
    `${formatMeanStd(row.valid)} | ${formatMeanStd(row.test)} |`;
  assertStringIncludes(summaryMarkdown({ ...records, sensitivity: unpaired }), `${head} - | - |`);
  // Paired at fewer seeds than it ran: the seeds column still lists every seed of the row.
  const fewer = [...records.sensitivity];
  fewer[index] = { ...row, pairedSeeds: row.seeds.slice(1) };
  assertStringIncludes(summaryMarkdown({ ...records, sensitivity: fewer }), `${head} `);
});
