/**
 * Notebook 05's figure cell writes the README's figure (in full mode,
 * docs/figures/contribution_heatmap.png, a committed file) only for the explanation the figure
 * shows, that of the recommendation. The notebook invites re-running its explanation with
 * `explain: "history"`; the cell then overwrote the committed figure with the history's heatmap.
 * The cell's own code runs here, its free names stubbed.
 */
import { assertEquals } from "@std/assert";
import { printedLines } from "./_printed_lines.ts";

const NOTEBOOK = new URL("../../notebooks/05_explanations.ipynb", import.meta.url);

/** The code cell that calls figureToPng. */
async function figureCell(): Promise<string> {
  const cells = JSON.parse(await Deno.readTextFile(NOTEBOOK)).cells as {
    cell_type: string;
    source: string[];
  }[];
  const code = cells.filter((cell) => cell.cell_type === "code")
    .map((cell) => cell.source.join(""))
    .filter((source) => source.includes("figureToPng("));
  assertEquals(code.length, 1, "one cell of 05 draws the PNG");
  return code[0];
}

/** Runs the figure cell with `explain` in full mode: the paths figureToPng wrote, and its lines. */
async function runFigureCell(explain: string): Promise<{ written: string[]; lines: string[] }> {
  const written: string[] = [];
  const stubs = {
    plan: { mode: "full" },
    explain,
    explained: [{ heatmap: { data: [], layout: {} } }],
    findChromium: () => "/usr/bin/chromium",
    figureToPng: (_figure: unknown, path: string) => Promise.resolve(void written.push(path)),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...names: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const cell = new AsyncFunction(...Object.keys(stubs), await figureCell());
  const lines = await printedLines(() => cell(...Object.values(stubs)));
  return { written, lines };
}

Deno.test("notebook 05 writes the README figure for the recommendation's explanation", async () => {
  assertEquals(await runFigureCell("recommendation"), {
    written: ["../docs/figures/contribution_heatmap.png"],
    lines: ["wrote docs/figures/contribution_heatmap.png"],
  });
});

Deno.test("notebook 05 leaves the README figure alone when the page explains the history", async () => {
  assertEquals(await runFigureCell("history"), {
    written: [],
    lines: ["PNG skipped: the figure explains the recommendation, this page the history"],
  });
});
