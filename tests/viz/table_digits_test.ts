/** A table's `digits` is a whole number of decimals that `toFixed` takes; anything else is named. */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { tableHtml } from "../../lib/viz/table_html.ts";
import { displayTable } from "../../lib/notebook/display.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("table html: digits that are no whole number from 0 to 100 are a SettingError naming the table", () => {
  // Found by mutation round ME: 2.5 printed 2 decimals without a word; -1 and 101 threw toFixed's
  // RangeError, which names no table and no field.
  for (const digits of [2.5, -1, 101, Number.NaN]) {
    const error = assertThrows(
      () => tableHtml({ kind: "table", columns: ["x"], rows: [[0.12345]], digits }, "demo"),
      SettingError,
    );
    assertEquals(error.message.startsWith("demo table digits"), true, error.message);
  }
  // The ends of the range are decimals toFixed prints.
  const html = (digits: number) =>
    tableHtml({ kind: "table", columns: ["x"], rows: [[0.25]], digits }, "demo");
  assertEquals(html(0).includes("<td>0</td>"), true);
  assertEquals(html(100).includes(`<td>0.25${"0".repeat(98)}</td>`), true);
});

Deno.test("displayTable: digits out of range are refused by name, outside a kernel too", async () => {
  await assertRejects(
    () => displayTable({ columns: ["x"], rows: [[0.5]], digits: 1.5 }),
    SettingError,
    "displayTable table digits",
  );
});
