/**
 * Checks of `systemsTable`'s options (lib/notebook/systems_views.ts) that a hand mutation round
 * (session 52, mu52c) found no test pinned: `extraColumns` that is an object, not a list, and a
 * `best` that is null or a list are refused with a `SettingError` naming the option (a notebook is
 * not type-checked: let through, they failed later or marked nothing).
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { SystemSummary } from "../../lib/experiments/analyse.ts";
import { systemsTable } from "../../lib/notebook/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { meanOver, summaryRow } from "./_summary_rows.ts";

const ROW = summaryRow("Pop", { test: { "NDCG@10": meanOver(0.1) } });

Deno.test("systemsTable: extraColumns that is one column, not a list of them, is a SettingError", () => {
  const column = { heading: "seconds", cell: (row: SystemSummary) => row.meanTrainSeconds };
  for (const extraColumns of [column, "seconds", null]) {
    const error = assertThrows(
      () => systemsTable([ROW], { metrics: ["NDCG@10"], extraColumns } as never),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], ["SystemsTableOptions.extraColumns", extraColumns]);
    assertEquals(error.allowed, "a list of columns");
  }
  // A list of one column is the table's last column.
  const table = systemsTable([ROW], { metrics: ["NDCG@10"], extraColumns: [column] });
  assertEquals(table.columns.at(-1), "seconds");
  assertEquals(table.rows[0].at(-1), 1);
});

Deno.test("systemsTable: a best that is null or a list, not an object by column, is a SettingError", () => {
  for (const best of [null, ["NDCG@10"]]) {
    const error = assertThrows(
      () => systemsTable([ROW], { metrics: ["NDCG@10"], best } as never),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], ["SystemsTableOptions.best", best]);
    assertEquals(error.allowed, 'an object of "higher" or "lower" by column');
  }
});
