/**
 * A plain file where a cell's kept-model folder belongs (`models/<cell>`) is refused by name, for
 * the cell's own folder and for the selection trial's it reuses (`sameAs`): reading
 * `<folder>/best.json` through it failed as a raw "Not a directory (os error 20)" (mutation round
 * mu54e, cm52). A folder that is not there is still no kept model, without an error.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { cellModelDir, keptCellModelDir } from "../../lib/experiments/cell_model.ts";

Deno.test("keptCellModelDir refuses a plain file where a kept-model folder belongs, naming it", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const cell = { key: "synthetic/SASRec-MM/seed0", sameAs: "synthetic/trial/seed0" };
    assertEquals(keptCellModelDir(resultsDir, cell), undefined);
    Deno.mkdirSync(`${resultsDir}/models`);
    const reused = cellModelDir(resultsDir, { key: cell.sameAs });
    Deno.writeTextFileSync(reused, "not a folder");
    const viaReused = assertThrows(() => keptCellModelDir(resultsDir, cell), Error);
    assertStringIncludes(viaReused.message, `${reused}: a file, not a folder`);
    const own = cellModelDir(resultsDir, cell);
    Deno.writeTextFileSync(own, "not a folder");
    const viaOwn = assertThrows(() => keptCellModelDir(resultsDir, cell), Error);
    assertStringIncludes(viaOwn.message, `${own}: a file, not a folder`);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
