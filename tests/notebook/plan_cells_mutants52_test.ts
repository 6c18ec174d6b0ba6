/**
 * The checks of `NotebookCellsOptions` (lib/notebook/plan_cells.ts) that a hand mutation round
 * (session 52, mu52c) found no test pinned: a `resultsDir` that is no text and a `quickCompute`
 * that is no function are refused with a `SettingError` naming them, before anything is read.
 */
import { assertEquals } from "@std/assert";
import { notebookComputePolicy } from "../../lib/notebook/plan_cells.ts";
import { settingError } from "../_setting_error.ts";

Deno.test("notebookComputePolicy: a resultsDir that is not a text or a quickCompute that is not a function is refused", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ resultsDir: 5 }, "NotebookCellsOptions.resultsDir", "a folder (a string)"],
    [{ resultsDir: null }, "NotebookCellsOptions.resultsDir", "a folder (a string)"],
    [
      { quickCompute: null },
      "NotebookCellsOptions.quickCompute",
      "a function of a PlannedCell (true: compute it)",
    ],
  ];
  for (const [options, setting, allowed] of cases) {
    const error = settingError(() => notebookComputePolicy("quick", options as never, false));
    assertEquals([error.setting, error.allowed], [setting, allowed]);
  }
});
