/**
 * Notebook 03's three views of the attributed batch do not repeat the batch's long protocol
 * caption: each figure's caption says only what differs (`contrastiveViewCaption`) and points to
 * the line that states the protocol once for the page (above section 1's heatmap since session
 * 53b: batch_protocol_once53b_test). The page repeated the same protocol under the three figures
 * (until 2026-12-07).
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { contrastiveViewCaption, type ContrastiveViewName } from "../../mod.ts";

Deno.test("contrastiveViewCaption: the view and its noise share, no protocol", () => {
  const positive = contrastiveViewCaption("positive", 0.3, "the line above the heatmap");
  assertStringIncludes(positive, "The positive view: 1 = the modality is fed to the fusion");
  assertStringIncludes(positive, "bottom ρ = 0.3 of the user's (user, modality) scores");
  assertStringIncludes(
    positive,
    "scores. Model, batch and protocol: the line above the heatmap (one model and one batch",
  );
  assert(!positive.includes("Protocol."), positive);
  assertStringIncludes(contrastiveViewCaption("negative", 0.25, "above"), "The negative view:");
  assertStringIncludes(contrastiveViewCaption("anchor", 0.25, "above"), "ρ = 0.25");
});

Deno.test("contrastiveViewCaption: another view or a rho outside (0, 1) is refused by name", () => {
  const view = assertThrows(() =>
    contrastiveViewCaption("noise" as ContrastiveViewName, 0.3, "above")
  ) as Error;
  assertStringIncludes(view.message, 'view "noise" is not one of anchor, positive, negative');
  for (const rho of [0, 1, -0.1, Number.NaN]) {
    const error = assertThrows(() => contrastiveViewCaption("anchor", rho, "above")) as Error;
    assertStringIncludes(error.message, `rho ${rho} is not in (0, 1)`);
  }
});

Deno.test("notebook 03: the views point to the page's one protocol line, not repeat it", async () => {
  const notebook = JSON.parse(
    await Deno.readTextFile(
      new URL("../../notebooks/03_demure_step_by_step.ipynb", import.meta.url),
    ),
  ) as { cells: { cell_type: string; source: string[] }[] };
  const views = notebook.cells.map((cell) => cell.source.join(""))
    .filter((code) => code.includes("buildContrastiveViews("));
  assertEquals(views.length, 1, "one cell draws the views");
  const code = views[0];
  const loop = code.indexOf("for (const [name, mask]");
  assert(loop > 0, "the views' loop is gone");
  assertEquals(code.includes("batchCaption"), false, "the views' cell repeats the protocol");
  assertStringIncludes(
    code.slice(loop),
    "display(figure, { caption: contrastiveViewCaption(name, demureConfig.rho, batchLine) })",
  );
});
