/**
 * A notebook frees a model that an earlier cell made in a cell of its own, the last code cell. The
 * prose invites running cells again with another setting (notebook 05's `explain: "history"`, 03's
 * ρ); when the cell that printed the last result or wrote the README figure also freed the model,
 * doing so after Run All failed with "this SequentialRecommender was disposed". A model made and
 * freed in one cell (08's `try { ... } finally { trained.model.dispose(); }`) can be run again.
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

/** What is wrong with where `cells` free their models (nothing: an empty list). */
export function modelFreeingProblems(cells: string[]): string[] {
  const problems: string[] = [];
  cells.forEach((source, index) => {
    for (const match of source.matchAll(/\b([A-Za-z_$][\w$]*)(?:\.[\w$]+)*\.dispose\(\)/g)) {
      const root = match[1];
      // Made in this very cell: the cell can be run again on its own.
      if (new RegExp(`\\b(?:const|let)\\s+${root}\\b`).test(source)) continue;
      const others = source.split("\n").filter((line) =>
        line.trim() !== "" && !line.trim().startsWith("//") &&
        !/^\s*[\w$.]+\.dispose\(\);$/.test(line)
      );
      if (index !== cells.length - 1 || others.length > 0) {
        problems.push(
          `code cell ${index + 1} of ${cells.length} frees ${match[0]}` +
            (others.length > 0 ? ` and also runs "${others[0].trim()}"` : " before the last cell"),
        );
      }
    }
  });
  return problems;
}

Deno.test("every notebook frees an earlier cell's model only in its last code cell, which does nothing else", async () => {
  const problems: string[] = [];
  for (const path of await listNotebooks(notebooksDir)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    problems.push(...modelFreeingProblems(await codeCells(path)).map((line) => `${name}: ${line}`));
  }
  assertEquals(problems, []);
});

Deno.test("the rule catches a model freed by the cell that prints the last result (03 before 2026-12-07)", () => {
  const cells = ["const model = build();", 'console.log("the run");\nmodel.dispose();'];
  assertEquals(modelFreeingProblems(cells), [
    'code cell 2 of 2 frees model.dispose() and also runs "console.log("the run");"',
  ]);
  assertEquals(
    modelFreeingProblems(["const model = build();", "model.dispose();", "use(model);"]),
    [
      "code cell 2 of 3 frees model.dispose() before the last cell",
    ],
  );
  // A model made and freed in one cell, and the last cell freeing alone, are both fine.
  assertEquals(modelFreeingProblems(["const trained = load();\ntrained.model.dispose();"]), []);
  assertEquals(modelFreeingProblems(["const trained = load();", "trained.model.dispose();"]), []);
});
