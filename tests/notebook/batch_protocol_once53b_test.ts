/**
 * Notebook 03 states the attributed batch's model, batch and protocol once on the page, in a line
 * above section 1's heatmap, and the results of sections 1-3 (the heatmap, the planted-role table
 * and the three views) each carry a short library caption that points to that line
 * (`attributedBatchPartCaption`). Until 2026-12-07 the heatmap's and the table's captions each
 * repeated the whole protocol, and a third copy stood above the views.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { attributedBatchPartCaption } from "../../mod.ts";

Deno.test("attributedBatchPartCaption: what the result shows, then a pointer to the protocol line", () => {
  assertEquals(
    attributedBatchPartCaption("Planted role against the call", "the line above the heatmap"),
    "Planted role against the call. Model, batch and protocol: the line above the heatmap (one " +
      "model and one batch, no spread over seeds).",
  );
  // A `shows` with its own full stop is not given a second one.
  assertStringIncludes(
    attributedBatchPartCaption("The heatmap.", "above"),
    "The heatmap. Model, batch",
  );
  assert(!attributedBatchPartCaption("Shows", "above").includes("Protocol."));
});

Deno.test("attributedBatchPartCaption: an empty text or a non-text is refused by name", () => {
  for (
    const [shows, where, named] of [
      ["", "above", "shows"],
      ["  ", "above", "shows"],
      ["Shows", "", "where"],
      ["Shows", 3 as unknown as string, "where"],
    ] as const
  ) {
    const error = assertThrows(() => attributedBatchPartCaption(shows, where)) as Error;
    assertStringIncludes(error.message, `attributedBatchPartCaption: ${named} `);
    assertStringIncludes(error.message, "is not a non-empty text");
  }
});

/** Notebook 03's cells: kind and text. */
async function notebook03(): Promise<{ kind: string; text: string }[]> {
  const notebook = JSON.parse(
    await Deno.readTextFile(
      new URL("../../notebooks/03_demure_step_by_step.ipynb", import.meta.url),
    ),
  ) as { cells: { cell_type: string; source: string[] }[] };
  return notebook.cells.map((cell) => ({ kind: cell.cell_type, text: cell.source.join("") }));
}

Deno.test("notebook 03: the batch's protocol is said once, above section 1's heatmap", async () => {
  const cells = await notebook03();
  const code = cells.filter((cell) => cell.kind === "code").map((cell) => cell.text).join("\n");
  // Its definition and the one line that prints it: no caption repeats it.
  assertEquals(code.split("batchCaption").length - 1, 2, "batchCaption used more than once");
  const section1 = cells.findIndex((cell) => cell.text.startsWith("## 1. "));
  const section2 = cells.findIndex((cell) => cell.text.startsWith("## 2. "));
  assert(section1 >= 0 && section2 > section1, "notebook 03 has no sections 1 and 2");
  const heatmapCell = cells.slice(section1, section2).find((cell) => cell.kind === "code")!.text;
  const said = heatmapCell.indexOf("console.log(`Sections 1-3, one model and one batch");
  assert(said >= 0, `section 1 does not print the protocol line: ${heatmapCell}`);
  assert(heatmapCell.indexOf("${batchCaption}`);", said) > said, "the line is not batchCaption");
  const heatmap = heatmapCell.indexOf("await display(histories.heatmap(");
  assert(heatmap > said, "the protocol line is not above the heatmap");
  assertStringIncludes(
    heatmapCell,
    'const batchLine = "the line above the heatmap of section 1";',
  );
});

Deno.test("notebook 03: the heatmap, the planted-role table and the views point to that line", async () => {
  const code = (await notebook03()).filter((cell) => cell.kind === "code").map((cell) => cell.text)
    .join("\n");
  for (
    const caption of [
      "caption: attributedBatchPartCaption(heatmapShows, batchLine),",
      "caption: attributedBatchPartCaption(tableShows, batchLine),",
      "caption: contrastiveViewCaption(name, demureConfig.rho, batchLine)",
    ]
  ) {
    assertStringIncludes(code, caption);
  }
});
