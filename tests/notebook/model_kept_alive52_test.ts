/**
 * A notebook never frees, in a later cell, a model that an earlier cell made: the model lives as
 * long as the kernel. The prose invites running cells again with another setting (notebook 05's
 * `explain: "history"`, 03's ρ); when a later cell freed the model (05's README-figure cell, 03's
 * last cell), doing so after Run All failed with "this SequentialRecommender was disposed", and a
 * cell of its own for the freeing would not help, as Run All runs it too. A model made and freed in
 * one cell (08's `try { ... } finally { trained.model.dispose(); }`) can be run again.
 */
import { assertEquals } from "@std/assert";
import { listNotebooks } from "../../lib/notebook_runner/mod.ts";

const notebooksDir = new URL("../../notebooks", import.meta.url).pathname;

/** Each code cell's source, in order. */
async function codeCells(path: string): Promise<string[]> {
  const notebook = JSON.parse(await Deno.readTextFile(path)) as {
    cells: { cell_type: string; source: string[] }[];
  };
  return notebook.cells.filter((cell) => cell.cell_type === "code")
    .map((cell) => cell.source.join(""));
}

/** Each `x.dispose()` of `cells` whose `x` the same cell does not declare, by cell number. */
export function modelsFreedLater(cells: string[]): string[] {
  return cells.flatMap((source, index) =>
    [...source.matchAll(/\b([A-Za-z_$][\w$]*)(?:\.[\w$]+)*\.dispose\(\)/g)]
      .filter(([, root]) => !new RegExp(`\\b(?:const|let)\\s+${root}\\b`).test(source))
      .map(([call]) => `code cell ${index + 1} calls ${call}`)
  );
}

Deno.test("no notebook frees a model that an earlier cell made", async () => {
  const freed: string[] = [];
  for (const path of await listNotebooks(notebooksDir)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    freed.push(...modelsFreedLater(await codeCells(path)).map((line) => `${name}: ${line}`));
  }
  assertEquals(freed, []);
});

Deno.test("the rule catches 03's and 05's former last cells and passes 08's cell", () => {
  assertEquals(
    modelsFreedLater(["const model = build();", 'console.log("the run");\nmodel.dispose();']),
    ["code cell 2 calls model.dispose()"],
  );
  assertEquals(
    modelsFreedLater(["const trained = load();", "await png(trained);\ntrained.model.dispose();"]),
    ["code cell 2 calls trained.model.dispose()"],
  );
  assertEquals(
    modelsFreedLater([
      "const trained = load();\ntry {\n  use(trained);\n} finally {\n" +
      "  trained.model.dispose();\n}",
    ]),
    [],
  );
});
