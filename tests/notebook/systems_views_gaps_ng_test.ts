/**
 * systemsTable's later columns: means-only metrics and extra columns keep their given order
 * (headings and cells), a means-only metric a row lacks is a SettingError naming systemsTable and
 * the row, and a systemsBars option (title) is refused by the table. Found by mutation round NG
 * (NG29-NG32, NG36).
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { SystemSummary } from "../../lib/experiments/analyse.ts";
import { systemsTable } from "../../lib/notebook/systems_views.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { meanOver, summaryRow } from "./_summary_rows.ts";

const pop: SystemSummary & { note: string } = {
  ...summaryRow("Pop", {
    test: { "NDCG@10": meanOver(0.02), "HR@10": meanOver(0.05), "MRR": meanOver(0.01) },
  }),
  note: "baseline",
};

Deno.test("systemsTable: means-only metrics and extra columns in the order given", () => {
  const table = systemsTable([pop], {
    metrics: [],
    meansOnly: ["MRR", "NDCG@10", "HR@10"],
    extraColumns: [
      { heading: "note", cell: (row) => row.note },
      { heading: "train s", cell: (row) => row.meanTrainSeconds },
    ],
  });
  assertEquals(table.columns, ["system", "seeds", "MRR", "NDCG@10", "HR@10", "note", "train s"]);
  assertEquals(table.rows, [["Pop", 1, 0.01, 0.02, 0.05, "baseline", 1]]);
});

Deno.test("systemsTable: a means-only metric a row lacks is a SettingError naming the table and row", () => {
  const error = assertThrows(
    () => systemsTable([pop], { metrics: ["HR@10"], meansOnly: ["MAP"] }),
    SettingError,
    '"MAP"; allowed: one of "NDCG@10", "HR@10", "MRR"',
  ) as SettingError;
  assertEquals(error.setting, "systemsTable metric (test metrics of Pop)");
});

Deno.test("systemsTable: a bars option (title) is refused, not ignored", () => {
  const error = assertThrows(
    () => systemsTable([pop], { metrics: ["HR@10"], title: "x" } as never),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "SystemsTableOptions.title");
});
