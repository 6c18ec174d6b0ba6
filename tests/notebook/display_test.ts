/** A figure's caption goes under it in the page's font, escaped, and into the plain-text form. */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import {
  display,
  displayTable,
  figureMimeBundle,
  type PlotlyBundleState,
  plotlyBundleToSend,
} from "../../lib/notebook/display.ts";
import { SettingError } from "../../lib/util/settings.ts";
import type { Figure } from "../../lib/viz/figure.ts";

const figure: Figure = { data: [], layout: { title: { text: "Gain by level" } } };

Deno.test("figureMimeBundle: a caption becomes the figcaption under the figure's div", () => {
  const bundle = figureMimeBundle(figure, {
    elementId: "demure-plot-7",
    plotlyBundle: null,
    caption: "Each dot is one seed; A < B & C",
  });
  const html = bundle["text/html"];
  assertEquals(html.startsWith("<figure"), true);
  assertEquals(html.endsWith("</figcaption></figure>"), true);
  assertStringIncludes(html, ">Each dot is one seed; A &lt; B &amp; C</figcaption>");
  // The div comes before the caption, and the drawing script still follows its div.
  const div = html.indexOf('id="demure-plot-7"');
  const caption = html.indexOf("<figcaption");
  assertEquals(div > 0 && div < caption, true);
  assertStringIncludes(html, "</div><script>");
  assertEquals(bundle["text/plain"], "Figure: Gain by level\nEach dot is one seed; A < B & C");
});

Deno.test("figureMimeBundle: without a caption the figure is the bare div", () => {
  const bundle = figureMimeBundle(figure, { elementId: "demure-plot-8", plotlyBundle: null });
  assertEquals(bundle["text/html"].startsWith('<div class="demure-plot"'), true);
  assertEquals(bundle["text/plain"], "Figure: Gain by level");
});

Deno.test("display and displayTable refuse a misspelt option instead of showing without it", async () => {
  // Outside a kernel both print; the check comes first, so it holds in a notebook too.
  await assertRejects(
    () => display(figure, { captoin: "what it shows" } as never),
    SettingError,
    'DisplayOptions.captoin is "what it shows"; allowed: one of the settings forcePlotlyBundle, ' +
      "caption; did you mean caption?",
  );
  await assertRejects(
    () => displayTable({ columns: ["a"], rows: [[1]], captoin: "c" } as never),
    Error,
    'displayTable: the table has no field "captoin" (its fields: kind, columns, rows, caption, ' +
      "digits, signed, columnDigits, best; did you mean caption?)",
  );
});

Deno.test("displayTable outside a kernel prints the caption and tab-separated rows, 4 digits by default", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => printed.push(parts.join(" "));
  try {
    await displayTable({
      caption: "NDCG@10",
      columns: ["model", "mean"],
      rows: [["Pop", 0.0123456]],
    });
    await displayTable({ columns: ["model", "mean"], rows: [["Pop", 0.0123456]], digits: 2 });
  } finally {
    console.log = log;
  }
  assertEquals(printed, ["NDCG@10\nmodel\tmean\nPop\t0.0123", "model\tmean\nPop\t0.01"]);
});

Deno.test("display outside a kernel prints the figure's title, then its caption", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => printed.push(parts.join(" "));
  try {
    await display(figure, { caption: "Each dot is one seed" });
    // Untitled: the title is its number of traces.
    await display({
      data: [{ type: "bar", x: ["a"], y: [1] }, { type: "bar", x: ["a"], y: [2] }],
      layout: {},
    });
  } finally {
    console.log = log;
  }
  assertEquals(printed, [
    "[figure] Gain by level (shown in notebooks; see writeHtmlReport)",
    "Each dot is one seed",
    "[figure] 2 trace(s) (shown in notebooks; see writeHtmlReport)",
  ]);
});

Deno.test("displayTable outside a kernel: digits 0 prints whole numbers, as the HTML table does", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => printed.push(parts.join(" "));
  try {
    await displayTable({ columns: ["model", "share"], rows: [["Pop", 12.3456]], digits: 0 });
  } finally {
    console.log = log;
  }
  assertEquals(printed, ["model\tshare\nPop\t12"]);
});

/** The bundle each figure of a kernel session sends, the figures given as [needsFull, force]. */
function bundlesSent(figures: [boolean, boolean][]): ("default" | "full" | null)[] {
  let state: PlotlyBundleState = "none";
  return figures.map(([needsFull, force]) => {
    const decision = plotlyBundleToSend(state, { needsFull, force });
    state = decision.next;
    return decision.send;
  });
}

Deno.test("plotly.js is sent by a session's first figure only; later figures do not resend it", () => {
  const plain: [boolean, boolean] = [false, false];
  assertEquals(bundlesSent([plain, plain, plain]), ["default", null, null]);
});

Deno.test("a figure needing the full bundle sends it once; after it, no figure sends one", () => {
  const plain: [boolean, boolean] = [false, false];
  const full: [boolean, boolean] = [true, false];
  assertEquals(bundlesSent([plain, full, plain, full, plain]), [
    "default",
    "full",
    null,
    null,
    null,
  ]);
  // The full bundle first: a superset, so the default one is never sent.
  assertEquals(bundlesSent([full, plain, full]), ["full", null, null]);
});

Deno.test("forcePlotlyBundle resends the figure's bundle; a forced default one after the full one", () => {
  const plain: [boolean, boolean] = [false, false];
  const forced: [boolean, boolean] = [false, true];
  const full: [boolean, boolean] = [true, false];
  assertEquals(bundlesSent([plain, forced, plain]), ["default", "default", null]);
  assertEquals(bundlesSent([full, [true, true]]), ["full", "full"]);
  // The page's window.Plotly is the bundle sent last: after a forced default one, the next figure
  // that needs the full bundle sends it again (it drew without its trace type before).
  assertEquals(bundlesSent([full, forced, full, full]), ["full", "default", "full", null]);
});
