/**
 * checkCellsFitData (lib/experiments/cells_fit_check.ts) reads only imported datasets: the
 * embedded ones' steps per epoch are fixed and far above the plan's warm-ups, and reading them
 * (MovieLens: parsing and hashing its files) for every run would be wasted. Found by mutation
 * round AC (AC38).
 */
import { planExperiments } from "../../lib/experiments/plan.ts";
import { checkCellsFitData } from "../../lib/experiments/cells_fit_check.ts";
import { assert, assertEquals } from "@std/assert";

Deno.test("checkCellsFitData reads no embedded dataset (only imported files can be too small)", async () => {
  const { cells } = planExperiments("quick");
  assert(cells.some((cell) => cell.system.kind === "neural" && cell.system.demure !== undefined));
  await checkCellsFitData(cells, (cell) => {
    throw new Error(`read ${cell.key}'s dataset`);
  });
});

Deno.test("checkCellsFitData reads an imported dataset only for its Demure and CL4SRec cells", async () => {
  // Found by mutation round NF (NF28): the plain systems' cells on the same file have no hook
  // that could refuse them (a warm-up, a batch of 1 row), so their data is not read for it.
  const { prepareDataset } = await import("../../lib/experiments/datasets.ts");
  const recbole = {
    kind: "file" as const,
    path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
    format: "recbole" as const,
  };
  const { cells } = planExperiments("quick", [0], { dataset: recbole });
  const isDemure = (cell: (typeof cells)[number]) =>
    cell.system.kind === "neural" && (cell.system.demure ?? cell.system.cl4srec) !== undefined;
  assert(cells.some(isDemure) && cells.some((cell) => !isDemure(cell)));
  const data = await prepareDataset(recbole);
  const read: string[] = [];
  await checkCellsFitData(cells, (cell) => {
    if (!isDemure(cell)) throw new Error(`read ${cell.key}'s dataset`);
    read.push(cell.key);
    return Promise.resolve(data);
  });
  assertEquals(read, cells.filter(isDemure).map((cell) => cell.key));
});
