/**
 * What display's outputs carry beyond the committed display tests (mutation round RC): where the
 * inlined plotly.js goes in a figure's HTML, the Plotly MIME part, and a table's every row in the
 * plain-text form, with an empty caption read as none (as the HTML table reads it).
 */
import { assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { display, displayTable, figureMimeBundle } from "../../lib/notebook/display.ts";
import { SettingError } from "../../lib/util/settings.ts";
import type { Figure } from "../../lib/viz/figure.ts";
import { printedLines as printedBy } from "./_printed_lines.ts";

const figure: Figure = { data: [], layout: { title: { text: "Gain by level" } } };

Deno.test("figureMimeBundle: plotly.js is a closed script before the figure's div, which draws with it", () => {
  const bundle = figureMimeBundle(figure, {
    elementId: "demure-plot-3",
    plotlyBundle: "window.PLOTLY_STUB = 1;",
  });
  const html = bundle["text/html"];
  assertEquals(html.startsWith("<script>window.PLOTLY_STUB = 1;</script><div"), true);
  // The figure itself is the Plotly MIME part, unchanged, for frontends with a Plotly renderer.
  assertStrictEquals(bundle["application/vnd.plotly.v1+json"], figure);
  assertEquals(bundle["text/plain"], "Figure: Gain by level");
});

Deno.test("figureMimeBundle: an empty caption is a caption (an empty figcaption and line), not none", () => {
  const bundle = figureMimeBundle(figure, {
    elementId: "demure-plot-4",
    plotlyBundle: null,
    caption: "",
  });
  assertEquals(bundle["text/html"].startsWith("<figure"), true);
  assertEquals(bundle["text/plain"], "Figure: Gain by level\n");
});

Deno.test("displayTable outside a kernel prints every row, each cell as given", async () => {
  const printed = await printedBy(() =>
    displayTable({
      columns: ["model", "mean"],
      rows: [[" Pop", 0.5], ["SASRec", 0.25], ["Demure", 1]],
      digits: 2,
    })
  );
  assertEquals(printed, ["model\tmean\n Pop\t0.50\nSASRec\t0.25\nDemure\t1.00"]);
});

Deno.test("displayTable outside a kernel: an empty caption is none, as in the HTML table", async () => {
  const printed = await printedBy(() =>
    displayTable({ caption: "", columns: ["model"], rows: [["Pop"]] })
  );
  assertEquals(printed, ["model\nPop"]);
});

Deno.test("display outside a kernel: an empty caption prints its (empty) line, as the kernel's plain text has it", async () => {
  const printed = await printedBy(() => display(figure, { caption: "" }));
  assertEquals(printed, ["[figure] Gain by level (shown in notebooks; see writeHtmlReport)", ""]);
});

Deno.test("display refuses a misspelt option even beside a valid caption, naming the misspelt one", async () => {
  const error = await assertRejects(
    () => display(figure, { caption: "c", forcePlotlyBundel: true } as never),
    SettingError,
  );
  assertEquals(error.message.startsWith("DisplayOptions.forcePlotlyBundel is true"), true);
});

Deno.test("displayTable checks an empty table too: no rows is a header only, a bad field still refused", async () => {
  const printed = await printedBy(() => displayTable({ columns: ["model", "mean"], rows: [] }));
  assertEquals(printed, ["model\tmean"]);
  await assertRejects(
    () => displayTable({ columns: ["model"], rows: [], digits: 2.5 }),
    SettingError,
    "displayTable table digits",
  );
});
