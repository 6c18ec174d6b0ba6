/**
 * Notebook 07 loads the main-table cells of the systems it compares and shows them in its first
 * table. The list was written twice, once for the cells and once for the table's rows: a system
 * added to the first (and computed) was left out of the table without a word. Both now read
 * `comparedSystems`; the table's cell runs here with its free names stubbed.
 */
import { assertEquals } from "@std/assert";
import { printedLines } from "./_printed_lines.ts";

const NOTEBOOK = new URL("../../notebooks/07_why_demure_loses.ipynb", import.meta.url);

/** 07's code cells. */
async function codeCells(): Promise<string[]> {
  const cells = JSON.parse(await Deno.readTextFile(NOTEBOOK)).cells as {
    cell_type: string;
    source: string[];
  }[];
  return cells.filter((cell) => cell.cell_type === "code").map((cell) => cell.source.join(""));
}

Deno.test("notebook 07 loads the main-table cells of comparedSystems", async () => {
  const [first] = await codeCells();
  assertEquals(
    first.match(/const comparedSystems = (\[[^\]]*\]) as const;/)?.[1],
    '["SASRec-MM", "Demure-SASRec"]',
  );
  assertEquals(
    first.includes('cellFilter({ dataset: "movielens", systems: comparedSystems })'),
    true,
  );
});

Deno.test("notebook 07's first table shows every system of comparedSystems, and only those", async () => {
  const table = (await codeCells()).find((source) => source.includes("const mainRows ="))!;
  const shown: string[][] = [];
  const stubs = {
    comparedSystems: ["SASRec-MM", "Demure-SASRec", "CL4SRec-MM"],
    summary: {
      main: {
        MovieLens: {
          rows: ["Pop", "SASRec-MM", "CL4SRec-MM", "Demure-SASRec"].map((system) => ({ system })),
        },
      },
    },
    found: [],
    bestEpochsText: () => "",
    systemsTableCaption: () => "",
    systemsTable: (rows: { system: string }[]) => rows.map((row) => row.system),
    displayTable: (systems: string[]) => Promise.resolve(void shown.push(systems)),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...names: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const cell = new AsyncFunction(...Object.keys(stubs), table);
  await printedLines(() => cell(...Object.values(stubs)));
  assertEquals(shown, [["SASRec-MM", "CL4SRec-MM", "Demure-SASRec"]]);
});
