/**
 * Notebook 03's three views of the attributed batch state the batch's long protocol caption once,
 * above the figures, and each figure's caption only what differs (`contrastiveViewCaption`): the
 * page repeated the same protocol under the three figures (until 2026-12-07).
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { contrastiveViewCaption, type ContrastiveViewName } from "../../mod.ts";

Deno.test("contrastiveViewCaption: the view and its noise share, no protocol", () => {
  const positive = contrastiveViewCaption("positive", 0.3);
  assertStringIncludes(positive, "The positive view: 1 = the modality is fed to the fusion");
  assertStringIncludes(positive, "bottom ρ = 0.3 of the user's (user, modality) scores");
  assertStringIncludes(positive, "the line above the three views");
  assert(!positive.includes("Protocol."), positive);
  assertStringIncludes(contrastiveViewCaption("negative", 0.25), "The negative view:");
  assertStringIncludes(contrastiveViewCaption("anchor", 0.25), "ρ = 0.25");
});

Deno.test("contrastiveViewCaption: another view or a rho outside (0, 1) is refused by name", () => {
  const view = assertThrows(() =>
    contrastiveViewCaption("noise" as ContrastiveViewName, 0.3)
  ) as Error;
  assertStringIncludes(view.message, 'view "noise" is not one of anchor, positive, negative');
  for (const rho of [0, 1, -0.1, Number.NaN]) {
    const error = assertThrows(() => contrastiveViewCaption("anchor", rho)) as Error;
    assertStringIncludes(error.message, `rho ${rho} is not in (0, 1)`);
  }
});

Deno.test("notebook 03: the views' protocol is printed once above them, not under each figure", async () => {
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
  const said = code.indexOf("batchCaption");
  assert(said >= 0 && said < loop, "the batch's protocol is not said above the views");
  assertEquals(code.split("batchCaption").length - 1, 1, "the protocol is said more than once");
  assertStringIncludes(
    code.slice(loop),
    "display(figure, { caption: contrastiveViewCaption(name, demureConfig.rho) })",
  );
});
