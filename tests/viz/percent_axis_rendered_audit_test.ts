/**
 * Rendered-page audit (VZ48): notebook 01's coverage bars ("Items carrying each modality",
 * "Planted points of interest per modality") read 0 to 1 on the y axis, next to tables that print
 * the same coverage as "98.4 %". `groupedBars({ yPercent: true })` labels the axis in percent.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { groupedBars, type GroupedBarsInput } from "../../lib/viz/mod.ts";

const shares: GroupedBarsInput = {
  categories: ["text", "genre"],
  series: [{ name: "raw", values: [0.984, 0.998] }],
  yTitle: "share of items",
};

Deno.test("groupedBars: yPercent labels the y axis in percent, keeping its title and values", () => {
  const figure = groupedBars({ ...shares, yPercent: true });
  assertEquals(figure.layout.yaxis, { title: { text: "share of items" }, tickformat: ".0%" });
  // The bars keep the values given: only the labels change.
  assertEquals(figure.data[0].y, [0.984, 0.998]);
});

Deno.test("groupedBars: without yPercent (or false) the axis labels the values as they are", () => {
  for (const input of [shares, { ...shares, yPercent: false }]) {
    assertEquals(groupedBars(input).layout.yaxis, { title: { text: "share of items" } });
  }
});

Deno.test("groupedBars: a yPercent that is not a boolean is refused by name", () => {
  assertThrows(
    () => groupedBars({ ...shares, yPercent: "yes" as unknown as boolean }),
    Error,
    'groupedBars: yPercent is "yes", expected true or false',
  );
});

Deno.test("notebook 01 draws its two share figures with a percent axis", async () => {
  const notebook = JSON.parse(
    await Deno.readTextFile(new URL("../../notebooks/01_data_tour.ipynb", import.meta.url)),
  );
  const code = notebook.cells
    .filter((cell: { cell_type: string }) => cell.cell_type === "code")
    .map((cell: { source: string[] }) => cell.source.join(""));
  for (const title of ["share of items", "share of users"]) {
    const cell = code.find((source: string) => source.includes(`yTitle: "${title}"`));
    assertEquals(/yPercent: true/.test(cell ?? ""), true, title);
  }
});
