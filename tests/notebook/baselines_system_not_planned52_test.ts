/**
 * Notebook 02's systems are the list `baselines`, which its prose invites a reader to extend. A
 * system the mode's plan does not run (GRU4Rec-MM in the quick plan) used to be skipped without a
 * word: no line, no row, no cell computed. Cells 1 and 3 of the committed notebook run here in a
 * quick-mode child process, with GRU4Rec-MM added as a reader would add it.
 */
import { assert, assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const NOTEBOOK = new URL("../../notebooks/02_baselines.ipynb", import.meta.url);
const LIST = 'const baselines = ["Pop", "ItemKNN", "SASRec-ID", "SASRec-MM"] as const;';

/** What the notebook's first two code cells print, `edit` applied to their text first. */
async function printedByCells(edit: (code: string) => string): Promise<string[]> {
  const cells = (JSON.parse(await Deno.readTextFile(NOTEBOOK)).cells as {
    cell_type: string;
    source: string[];
  }[]).filter((cell) => cell.cell_type === "code").map((cell) => cell.source.join(""));
  const code = edit(cells.slice(0, 2).join("\n")).replace('"../mod.ts"', projectModule("mod.ts"));
  assert(code.includes(projectModule("mod.ts")), "cell 1 no longer imports ../mod.ts");
  return await evalInSubprocess<string[]>(
    `const printed = []; const log = console.log;
     console.log = (...parts) => printed.push(parts.join(" "));
     ${code}
     log(JSON.stringify(printed.join("\\n").split("\\n")));`,
    { DEMURE_QUICK: "1", DEMURE_RERUN: "0" },
  );
}

Deno.test("notebook 02 names a system its list asks for that the quick plan does not run", async () => {
  const lines = await printedByCells((code) => {
    assert(code.includes(LIST), "the list of baselines changed: update this test");
    return code.replace(LIST, LIST.replace('"SASRec-MM"]', '"SASRec-MM", "GRU4Rec-MM"]'));
  });
  assertEquals(
    lines.filter((line) => line.startsWith("GRU4Rec-MM")),
    ["GRU4Rec-MM: the quick plan has no cell of it on MovieLens: no row below"],
  );
  // The systems the plan runs are described as before.
  assertEquals(lines.filter((line) => line.startsWith("SASRec-MM (seeds 0)")).length, 1);
});
