/**
 * Table format (TB48): no table marked the best value, and decimals could only be set per table
 * (06's "seconds" printed 19.4213). A table's `best` names the columns a reader compares rows by
 * and which end is best; its best values are bold on the page, every tie too, a missing value
 * never, and a "mean ± std" text compares its mean. `columnDigits` gives one column its own
 * decimals. Bad settings are refused by name.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { formatTable, formatTableCells, tableHtml, type TableSection } from "../../lib/viz/mod.ts";

const methods: TableSection = {
  kind: "table",
  columns: ["method", "ROC-AUC", "precision", "seconds"],
  rows: [
    ["occlusion", 0.91234, 0.5, 19.42131],
    ["gradient", 0.87, 0.5, 0.81234],
    ["random", Number.NaN, 0.25, 0.0021],
  ],
  best: { "ROC-AUC": "higher", precision: "higher", seconds: "lower" },
  columnDigits: { seconds: 2 },
};

Deno.test("tableHtml: the best of each best column is bold, ties all, and a note says so", () => {
  const html = tableHtml(methods, "audit");
  assertEquals(
    html.split("\n").slice(1, 4),
    [
      "<tr><td>occlusion</td><td><strong>0.9123</strong></td><td><strong>0.5000</strong></td>" +
      "<td>19.42</td></tr>",
      "<tr><td>gradient</td><td>0.8700</td><td><strong>0.5000</strong></td><td>0.81</td></tr>",
      "<tr><td>random</td><td>–</td><td>0.2500</td><td><strong>0.00</strong></td></tr>",
    ],
  );
  assertEquals(
    html.startsWith(
      "<table><caption>Bold: best ROC-AUC, precision (higher is better); " +
        "best seconds (lower is better)</caption>",
    ),
    true,
    html,
  );
});

Deno.test("tableHtml: the note goes under a given caption; without best nothing is bold", () => {
  const html = tableHtml({ ...methods, caption: "SASRec-MM <synthetic>" }, "audit");
  assertEquals(
    html.includes("<caption>SASRec-MM &lt;synthetic&gt;<br>Bold: best ROC-AUC"),
    true,
    html,
  );
  const plain = tableHtml({ ...methods, best: undefined, caption: "c" }, "audit");
  assertEquals(plain.includes("<strong>"), false);
  assertEquals(plain.includes("<caption>c</caption>"), true);
});

Deno.test("formatTable: ties are compared as printed, so two values that read alike are both best", () => {
  const { cells, best } = formatTable({
    kind: "table",
    columns: ["system", "NDCG@10"],
    rows: [["a", 0.12341], ["b", 0.12344], ["c", 0.1]],
    best: { "NDCG@10": "higher" },
  }, "audit");
  assertEquals(cells.map((row) => row[1]), ["0.1234", "0.1234", "0.1000"]);
  assertEquals(best.map((row) => row[1]), [true, true, false]);
});

Deno.test("formatTable: a 'mean ± std' text compares its mean, not its spread", () => {
  const { best } = formatTable({
    kind: "table",
    columns: ["system", "NDCG@10"],
    rows: [["a", "0.2100 ± 0.0500"], ["b", "0.2300 ± 0.0010"], ["c", "–"], ["d", "-0.5 ± 9"]],
    best: { "NDCG@10": "higher" },
  }, "audit");
  assertEquals(best.map((row) => row[1]), [false, true, false, false]);
  const lowest = formatTable({
    kind: "table",
    columns: ["system", "loss"],
    rows: [["a", "0.2100 ± 0.0500"], ["b", "-0.5 ± 9"], ["c", "+∞"]],
    best: { loss: "lower" },
  }, "audit");
  assertEquals(lowest.best.map((row) => row[1]), [false, true, false]);
});

Deno.test("formatTable: signed and integer columns rank by value; the direction is what is given", () => {
  const table: TableSection = {
    kind: "table",
    columns: ["level", "difference", "seeds"],
    rows: [["0.1", 0.0075, 5], ["0.5", -0.0282, 4], ["0.9", 0.01, 5]],
    signed: ["difference"],
    best: { difference: "lower", seeds: "higher" },
  };
  const { cells, best } = formatTable(table, "audit");
  assertEquals(cells.map((row) => row[1]), ["+0.0075", "-0.0282", "+0.0100"]);
  assertEquals(best, [[false, false, true], [false, true, false], [false, false, true]]);
  const higher = formatTable({ ...table, best: { difference: "higher" } }, "audit").best;
  assertEquals(higher.map((row) => row[1]), [false, false, true]);
});

Deno.test("formatTable: a best column with no value marks nothing; one with a name is refused", () => {
  const empty = formatTable({
    kind: "table",
    columns: ["system", "MRR"],
    rows: [["a", null], ["b", Number.NaN], ["c", "-"]],
    best: { MRR: "higher" },
  }, "audit");
  assertEquals(empty.best, [[false, false], [false, false], [false, false]]);
  const dash = formatTable({
    kind: "table",
    columns: ["value", "test vs selected (paired)"],
    rows: [["0.005", 0.0075], ["0.02", "-"], ["0.1", -0.0282]],
    signed: ["test vs selected (paired)"],
    best: { "test vs selected (paired)": "higher" },
  }, "audit");
  assertEquals(dash.best.map((row) => row[1]), [true, false, false]);
  assertThrows(
    () =>
      formatTable({
        kind: "table",
        columns: ["system", "MRR"],
        rows: [["a", 0.1], ["b", true]],
        best: { MRR: "higher" },
      }, "audit"),
    Error,
    'audit table best column "MRR", row 1 is "yes", not a number',
  );
});

Deno.test("best and columnDigits naming no column, a repeated column or a bad value are refused", () => {
  const std: TableSection = {
    kind: "table",
    columns: ["system", "NDCG@10", "± std", "HR@10", "± std"],
    rows: [["a", 0.1, 0.01, 0.2, 0.02]],
  };
  const refused: Array<[Partial<TableSection>, string]> = [
    [{ best: { "NDCG@20": "higher" } }, 'audit table best names "NDCG@20", not a column (system,'],
    [{ best: { "± std": "lower" } }, 'audit table best names "± std", which heads more than one'],
    [{ best: { "NDCG@10": "max" as "higher" } }, 'audit table best["NDCG@10"] is "max", expected'],
    [{ best: ["NDCG@10"] as never }, 'audit table best is ["NDCG@10"], expected an object'],
    [{ columnDigits: { seconds: 2 } }, 'audit table columnDigits names "seconds", not a column'],
    [{ columnDigits: { "HR@10": 2.5 } }, 'audit table columnDigits["HR@10"] is 2.5'],
    [{ columnDigits: { "HR@10": -1 } }, 'audit table columnDigits["HR@10"] is -1'],
    [{ columnDigits: 2 as never }, "audit table columnDigits is 2, expected an object"],
  ];
  for (const [fields, message] of refused) {
    assertThrows(() => tableHtml({ ...std, ...fields }, "audit"), Error, message);
  }
});

Deno.test("columnDigits: only its column changes; an integer column stays as it is", () => {
  assertEquals(
    formatTableCells([["a", 0.123456, 19.42131, 3]], 4, [], new Map([[2, 1], [3, 2]])),
    [["a", "0.1235", "19.4", "3"]],
  );
  const { cells } = formatTable({
    kind: "table",
    columns: ["method", "ROC-AUC", "seconds"],
    rows: [["occlusion", 0.91234, 19.42131]],
    digits: 3,
    columnDigits: { seconds: 0 },
  }, "audit");
  assertEquals(cells, [["occlusion", "0.912", "19"]]);
});
