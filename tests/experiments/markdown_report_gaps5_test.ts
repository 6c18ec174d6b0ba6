/**
 * summary.md's cases the records never show, found by mutation round PA: a row configured from
 * its backbone's selection, an empty other-ranking table, a warm-up that ended after epoch 0, a
 * diagnosis without popularity buckets, a single noise level or attribution row, a sensitivity row
 * paired at all but one seed, a popularity bucket where each system has its own reason, and the
 * blank lines that keep a list or a note apart from what follows.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { markdownToHtml } from "../../lib/viz/_markdown.ts";
import { recordsSummary } from "./_records_summary.ts";

const records = await recordsSummary();

Deno.test("summary.md: a row configured by its backbone's selection says so in full", () => {
  const [label, main] = Object.entries(records.main)[0];
  const [row, ...rows] = main.rows;
  const markdown = summaryMarkdown({
    ...records,
    main: {
      ...records.main,
      [label]: { ...main, rows: [{ ...row, configuredBy: "backbone selection" }, ...rows] },
    },
  });
  assertStringIncludes(markdown, " | defaults + backbone's lr, dropout | ");
});

Deno.test("summary.md: an other-ranking table without rows has no heading", () => {
  const [label, other] = Object.entries(records.otherRanking)[0];
  const markdown = summaryMarkdown({
    ...records,
    otherRanking: { ...records.otherRanking, [label]: { ...other, rows: [] } },
  });
  assertEquals(markdown.includes(`Main table: ${label}, test under the other ranking`), false);
});

Deno.test("summary.md: a warm-up that ended after epoch 0 reads 0, not '-'", () => {
  const [first, ...rest] = records.diagnosis;
  const [base, demure] = first.curves;
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: [{ ...first, curves: [base, { ...demure, warmupEndedAfterEpoch: 0 }] }, ...rest],
  });
  const line = markdown.split("\n").find((l) =>
    l.startsWith(`| ${demure.system} | ${demure.bestEpoch}/`)
  );
  assert(line !== undefined, "the diagnosis row");
  assert(line.endsWith(" | 0 |"), line);
});

Deno.test("summary.md: a diagnosis without popularity buckets has no popularity table", () => {
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: records.diagnosis.map((d) => ({ ...d, popularity: [] })),
  });
  assertEquals(markdown.includes("Test NDCG@10 by the test item's training interactions"), false);
});

Deno.test("summary.md: one noise level or one attribution row already has its table", () => {
  assert(records.noiseLevel.length > 0 && records.attribution.length > 0, "the records' rows");
  const markdown = summaryMarkdown({
    ...records,
    noiseLevel: records.noiseLevel.slice(0, 1),
    attribution: records.attribution.slice(0, 1),
  });
  assertStringIncludes(markdown, "## Noise level (synthetic): test NDCG@10\n");
  assertStringIncludes(markdown, "## Attribution against the planted truth");
});

Deno.test("summary.md: a sensitivity difference paired at all but one seed names its seeds", () => {
  const index = records.sensitivity.findIndex((row) => row.testVsSelected !== undefined);
  assert(index >= 0, "a paired sensitivity row");
  const row = records.sensitivity[index];
  assert(row.seeds.length > 1, "a row of several seeds");
  const rows = [...records.sensitivity];
  rows[index] = { ...row, pairedSeeds: row.seeds.slice(1) };
  assertStringIncludes(
    summaryMarkdown({ ...records, sensitivity: rows }),
    ` (seeds ${row.seeds.slice(1).join(", ")}) |`,
  );
});

Deno.test("summary.md: a popularity bucket's note gives each system's reason, then a blank line", () => {
  const [first, ...rest] = records.diagnosis;
  const [bucket, ...buckets] = first.popularity;
  assert(bucket !== undefined, "a popularity bucket");
  // SASRec-MM has no cells here; Demure-SASRec's cells left 3 of the bucket's users unscored.
  const { "SASRec-MM": _base, ...others } = bucket.bySystem;
  const gapped = { ...bucket, bySystem: others, unscored: { "Demure-SASRec": 3 } };
  const markdown = summaryMarkdown({
    ...records,
    diagnosis: [{ ...first, popularity: [gapped, ...buckets] }, ...rest],
  });
  const line = markdown.split("\n").find((l) => l.startsWith(`– no value: ${bucket.label}: `));
  assertEquals(
    line,
    `– no value: ${bucket.label}: SASRec-MM has no cells; Demure-SASRec's cells did not score ` +
      `3 of the ${bucket.users} users.`,
  );
  assertStringIncludes(markdown, `${line}\n\n`);
});

Deno.test("summary.md: a blank line after each dataset's split list, and a final newline", () => {
  const markdown = summaryMarkdown(records);
  for (const info of Object.values(records.datasets)) {
    assertStringIncludes(markdown, `- ${info.split.at(-1)}\n\n`);
  }
  assert(markdown.endsWith(".\n"), JSON.stringify(markdown.slice(-20)));
});

Deno.test("summary.md: a | in a cell (a label the user chose) is written \\| and keeps its row", () => {
  // Bare, it split the cell, and the report's reader refused the row as too wide.
  const [label, main] = Object.entries(records.main)[0];
  const [row, ...rows] = main.rows;
  const markdown = summaryMarkdown({
    ...records,
    main: { ...records.main, [label]: { ...main, rows: [{ ...row, system: "A|B" }, ...rows] } },
  });
  assertStringIncludes(markdown, "| A\\|B | ");
  assertStringIncludes(markdownToHtml(markdown), "<td>A|B</td>");
});
