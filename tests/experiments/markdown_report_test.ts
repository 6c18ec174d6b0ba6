/**
 * What summary.md says beyond the README's tables: the protocol and split lines, a table only
 * where it has rows, the paired tests' intro only over tests, a partial run named. Found by
 * mutation round KK.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  README_TABLES_END,
  README_TABLES_START,
  readmeTablesOf,
  summaryMarkdown,
} from "../../lib/experiments/markdown_report.ts";
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
