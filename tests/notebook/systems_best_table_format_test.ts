/**
 * Table format (TB48) on the notebooks' pages: systemsTable passes `best` on (the mean columns
 * compare, not "± std"), displayTable's plain text marks the same cells with "*" and says what
 * "*" means, and notebooks 02, 04, 06, 07 and 08 mark the best values of the tables that compare
 * systems and methods (06 prints its seconds with 2 decimals).
 */
import { assertEquals, assertRejects } from "@std/assert";
import { displayTable, systemsTable } from "../../lib/notebook/mod.ts";
import { tableHtml } from "../../lib/viz/mod.ts";
import { printedLines } from "./_printed_lines.ts";
import { meanOver, summaryRow } from "./_summary_rows.ts";

const row = (system: string, seeds: number[], ndcg: number, hr: number) =>
  summaryRow(system, {
    seeds,
    test: {
      "NDCG@10": meanOver(ndcg, seeds.length, 0.5),
      "HR@10": meanOver(hr, seeds.length, 0.001),
    },
  });
const rows = [
  row("Pop", [0, 1], 0.02, 0.3),
  row("SASRec-MM", [0, 1, 2], 0.08, 0.15),
  row("Demure-SASRec", [0, 1, 2], 0.08, 0.1),
];

Deno.test("systemsTable: best marks the best means, ties all, never a ± std column", () => {
  const table = systemsTable(rows, {
    metrics: ["NDCG@10", "HR@10"],
    best: { "NDCG@10": "higher", "HR@10": "higher" },
  });
  assertEquals(table.best, { "NDCG@10": "higher", "HR@10": "higher" });
  const html = tableHtml({ kind: "table", ...table }, "audit");
  assertEquals(html.split("\n").slice(1, 4), [
    "<tr><td>Pop</td><td>2</td><td>0.0200</td><td>0.5000</td><td><strong>0.3000</strong></td>" +
    "<td>0.0010</td></tr>",
    "<tr><td>SASRec-MM</td><td>3</td><td><strong>0.0800</strong></td><td>0.5000</td>" +
    "<td>0.1500</td><td>0.0010</td></tr>",
    "<tr><td>Demure-SASRec</td><td>3</td><td><strong>0.0800</strong></td><td>0.5000</td>" +
    "<td>0.1000</td><td>0.0010</td></tr>",
  ]);
  // Without best, the table is as before: nothing bold, no note.
  const before = systemsTable(rows, { metrics: ["NDCG@10", "HR@10"] });
  assertEquals("best" in before, false);
});

Deno.test("displayTable: the plain text ends a best value with * and says what * marks", async () => {
  const table = systemsTable(rows, {
    caption: "MovieLens, test",
    metrics: ["NDCG@10"],
    best: { "NDCG@10": "higher" },
  });
  const lines = await printedLines(() => displayTable(table));
  assertEquals(lines.join("\n").split("\n"), [
    "MovieLens, test",
    "system\tseeds\tNDCG@10\t± std",
    "Pop\t2\t0.0200\t0.5000",
    "SASRec-MM\t3\t0.0800*\t0.5000",
    "Demure-SASRec\t3\t0.0800*\t0.5000",
    "*: best NDCG@10 (higher is better)",
  ]);
});

Deno.test("displayTable: a best naming the ± std column or a bad direction is refused", async () => {
  await assertRejects(
    () =>
      displayTable(
        systemsTable(rows, { metrics: ["NDCG@10", "HR@10"], best: { "± std": "lower" } }),
      ),
    Error,
    'displayTable table best names "± std", which heads more than one column',
  );
  await assertRejects(
    () => displayTable(systemsTable(rows, { metrics: ["NDCG@10"], best: { MRR: "higher" } })),
    Error,
    'displayTable table best names "MRR", not a column',
  );
});

async function codeOf(notebook: string): Promise<string> {
  const cells = JSON.parse(
    await Deno.readTextFile(new URL(`../../notebooks/${notebook}.ipynb`, import.meta.url)),
  ).cells as Array<{ cell_type: string; source: string[] }>;
  return cells.filter((cell) => cell.cell_type === "code").map((cell) => cell.source.join(""))
    .join("\n");
}

Deno.test("notebooks 02, 04, 06, 07 and 08 mark the best values of the tables that compare systems", async () => {
  const main = await codeOf("02_baselines");
  for (const metric of ["NDCG@10", "HR@10", "NDCG@20", "HR@20", "MRR"]) {
    assertEquals(
      main.includes(`"${metric}": "higher"`) || main.includes(`${metric}: "higher"`),
      true,
      metric,
    );
  }
  const ablation = await codeOf("04_ablations_sensitivity");
  assertEquals(ablation.includes('best: { "NDCG@10": "higher", "HR@10": "higher" }'), true);
  const why = await codeOf("07_why_demure_loses");
  // The main table's also marks its validation column (tests/notebook/validation_shown53_test.ts).
  assertEquals(why.match(/best: \{ "NDCG@10": "higher", "HR@10": "higher"[ ,]/g)?.length, 2);
  const own = await codeOf("08_bring_your_own_data");
  // 08's table of both rankings is bothRankingsTable's, which marks every column's best
  // (tests/notebook/both_rankings_table51_test.ts).
  assertEquals(own.includes("await displayTable(bothRankingsTable("), true);
  const truth = await codeOf("06_ground_truth");
  assertEquals(truth.includes("columnDigits: { seconds: 2 }"), true);
  assertEquals(truth.includes('seconds: "lower"'), true);
  assertEquals(truth.includes('"ROC-AUC": "higher"'), true);
});
