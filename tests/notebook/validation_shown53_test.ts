/**
 * Pages that quote validation numbers show them: notebooks 02 and 07 state the systems' validation
 * NDCG@10 (mean ± std over seeds) in their prose, while their tables showed test metrics only
 * (until 2026-12-07). `systemsTable`'s `validation` option adds "valid <metric>" and its "± std"
 * from the rows' validation summary, and `systemsTableCaption`'s fourth argument names them.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { systemsTable, systemsTableCaption } from "../../lib/notebook/mod.ts";
import { finishedRun } from "../experiments/_finished_run.ts";
import { settingError } from "../_setting_error.ts";
import { meanOver, summaryRow } from "./_summary_rows.ts";

const row = (system: string, valid: number, std: number, n: number) =>
  summaryRow(system, {
    seeds: [...Array(n).keys()],
    test: { "NDCG@10": meanOver(0.09, n, 0.01) },
    valid: { "NDCG@10": meanOver(valid, n, std) },
  });

Deno.test("systemsTable validation: 'valid <metric>' and its spread after the test columns", () => {
  const table = systemsTable([row("SASRec-MM", 0.0762, 0.0041, 5), row("Pop", 0.02, 0, 1)], {
    metrics: ["NDCG@10"],
    validation: ["NDCG@10"],
    extraColumns: [{ heading: "note", cell: () => "x" }],
  });
  assertEquals(table.columns, [
    "system",
    "seeds",
    "NDCG@10",
    "± std",
    "valid NDCG@10",
    "± std",
    "note",
  ]);
  assertEquals(table.rows[0].slice(4), [0.0762, 0.0041, "x"]);
  // One run: NaN, printed "–", as for a test metric.
  assertEquals(table.rows[1][4], 0.02);
  assert(Number.isNaN(table.rows[1][5]), "a single run's spread prints as the missing mark");
  assertEquals(
    systemsTable([row("Pop", 0.02, 0, 1)], { metrics: ["NDCG@10"] }).columns,
    ["system", "seeds", "NDCG@10", "± std"],
  );
});

Deno.test("systemsTable validation: a metric a row lacks, or not a list, is a SettingError", () => {
  const missing = settingError(() =>
    systemsTable([row("Pop", 0.02, 0, 1)], { metrics: [], validation: ["HR@10"] })
  );
  assertStringIncludes(missing.message, "validation metrics of Pop");
  const notList = settingError(() =>
    systemsTable([row("Pop", 0.02, 0, 1)], {
      metrics: [],
      validation: "NDCG@10" as unknown as string[],
    })
  );
  assertStringIncludes(notList.message, "SystemsTableOptions.validation");
});

Deno.test("systemsTableCaption: the validation columns are named", () => {
  const rows = [row("SASRec-MM", 0.0762, 0.0041, 2)];
  const results = [finishedRun("SASRec-MM", 0), finishedRun("SASRec-MM", 1)];
  const caption = systemsTableCaption(rows, results, "Shown", ["NDCG@10"]);
  assertStringIncludes(
    caption,
    'Shown. Test metrics and validation NDCG@10 (the "valid" columns) on MovieLens, each',
  );
  assertStringIncludes(systemsTableCaption(rows, results), "Test metrics on MovieLens, each");
});

for (const name of ["02_baselines", "07_why_demure_loses"]) {
  Deno.test(`notebook ${name}: the validation NDCG@10 its prose quotes is in its table`, async () => {
    const notebook = JSON.parse(
      await Deno.readTextFile(new URL(`../../notebooks/${name}.ipynb`, import.meta.url)),
    ) as { cells: { cell_type: string; source: string[] }[] };
    const text = (kind: string) =>
      notebook.cells.filter((cell) => cell.cell_type === kind)
        .map((cell) => cell.source.join("")).join("\n");
    assert(/on validation\s+as\s+well\s+\(\d\.\d+ ± /.test(text("markdown")), "no quote");
    assertStringIncludes(text("markdown"), '"valid NDCG@10"');
    const code = text("code");
    assertStringIncludes(code, 'validation: ["NDCG@10"]');
    assertStringIncludes(code, '"valid NDCG@10": "higher"');
    // The caption's last argument names the validation metric: it comes right before `metrics`.
    assert(/\["NDCG@10"\],?\s*\),\s*metrics:/.test(code), "the caption names no validation");
  });
}
