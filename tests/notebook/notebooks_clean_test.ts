/** Committed notebooks carry no outputs: executed copies live only under build/notebooks/. */
import { assertEquals } from "@std/assert";

const notebooksDir = new URL("../../notebooks/", import.meta.url);

Deno.test("notebooks: committed sources have no outputs or execution counts", async () => {
  const dirty: string[] = [];
  let count = 0;
  for await (const entry of Deno.readDir(notebooksDir)) {
    if (!entry.isFile || !entry.name.endsWith(".ipynb")) continue;
    count += 1;
    const notebook = JSON.parse(await Deno.readTextFile(new URL(entry.name, notebooksDir))) as {
      cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }>;
      metadata: { kernelspec?: { name?: string } };
    };
    assertEquals(notebook.metadata.kernelspec?.name, "deno", `${entry.name} kernelspec`);
    notebook.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      if ((cell.outputs?.length ?? 0) > 0 || (cell.execution_count ?? null) !== null) {
        dirty.push(`${entry.name} cell ${index}`);
      }
    });
  }
  // Jupyter (./run.sh lab) saves outputs on Ctrl-S and by autosave: say how to clean up.
  assertEquals(
    dirty,
    [],
    "notebooks saved with outputs (./run.sh lab saves them): git checkout notebooks/<name>.ipynb, " +
      "or Cell > All Output > Clear and save (docs/notebooks.md#saving-git-and-notebooks-of-your-own)",
  );
  assertEquals(count > 0, true, "no notebooks found");
});

/** Notebooks are prose over the library: a code cell longer than this holds logic to move. */
const MAX_CODE_CELL_LINES = 25;

Deno.test(`notebooks: no code cell over ${MAX_CODE_CELL_LINES} lines`, async () => {
  const long: string[] = [];
  for await (const entry of Deno.readDir(notebooksDir)) {
    if (!entry.isFile || !entry.name.endsWith(".ipynb")) continue;
    const notebook = JSON.parse(await Deno.readTextFile(new URL(entry.name, notebooksDir))) as {
      cells: Array<{ cell_type: string; source: string[] | string }>;
    };
    notebook.cells.forEach((cell, index) => {
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const lines = source.trimEnd().split("\n").length;
      if (cell.cell_type === "code" && lines > MAX_CODE_CELL_LINES) {
        long.push(`${entry.name} cell ${index}: ${lines} lines`);
      }
    });
  }
  assertEquals(long, []);
});
