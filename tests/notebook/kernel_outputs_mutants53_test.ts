/**
 * What display, createProgress and workProgress send inside the Deno kernel (mutation round 53):
 * the existing tests ran them outside one only, so the kernel's side (which plotly.js bundle a
 * figure inlines, an in-place line that never prints, a display failure rethrown by done(), work
 * shown at every event) was unpinned. Each case runs in a process of its own, whose `Deno.jupyter`
 * is a recorder: `deno test` runs every module in one process, where the kernel's API must stay
 * absent for the other tests.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { display } from "../../lib/notebook/display.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { printedLines } from "./_printed_lines.ts";

/** The child's preamble: `Deno.jupyter` records each display as { plain, html, options }. */
const RECORDER = `
const shown = [];
let reject = false;
Deno.jupyter = {
  display: (bundle, options) => {
    shown.push({ plain: bundle["text/plain"], html: bundle["text/html"], options });
    return reject ? Promise.reject(new Error("display refused")) : Promise.resolve();
  },
};
`;

Deno.test("display in a kernel: plotly.js goes with the first figure, the full bundle once with the first that needs it", async () => {
  const sent = await evalInSubprocess<Array<{ bundle: string | null; raw: boolean }>>(`
${RECORDER}
const { display } = await import(${projectModule("lib/notebook/display.ts")});
const plotly = await import(${projectModule("lib/viz/plotly_bundle.ts")});
const cartesian = await plotly.loadPlotlyBundle();
const full = await plotly.loadPlotlyBundle(plotly.FULL_PLOTLY_BUNDLE);
const bars = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: { title: { text: "bars" } } };
const globe = { data: [{ type: "scatter3d", x: [1], y: [1], z: [1] }], layout: {} };
await display(bars);
await display(bars, { forcePlotlyBundle: false });
await display(globe);
await display(bars);
await display(globe);
await display(bars, { forcePlotlyBundle: true });
const which = (html) => html.startsWith("<script>" + cartesian + "</script>")
  ? "default"
  : html.startsWith("<script>" + full + "</script>")
  ? "full"
  : html.startsWith("<script>") ? "another script" : null;
console.log(JSON.stringify(shown.map(({ html, options }) => ({ bundle: which(html), raw: options?.raw === true }))));
Deno.exit(0);
`);
  assertEquals(sent.map(({ bundle }) => bundle), [
    "default", // the session's first figure
    null, // forcePlotlyBundle: false is not a force
    "full", // the first figure whose trace type the default bundle lacks
    null,
    null, // the full bundle stays the page's last
    "default", // forced: the figure's own bundle again
  ]);
  assertEquals(sent.every(({ raw }) => raw), true);
});

Deno.test("display refuses a forcePlotlyBundle that is not true or false, or a caption that is not a text, before showing anything", async () => {
  const figure = { data: [], layout: { title: { text: "t" } } };
  for (const value of ["yes", null, 1]) {
    const error = await assertRejects(
      () => display(figure, { forcePlotlyBundle: value as unknown as boolean }),
      SettingError,
    );
    assertEquals(error.message.includes("DisplayOptions.forcePlotlyBundle"), true);
  }
  // A caption 1 printed "1" under the figure; null was read as none.
  for (const value of [1, null]) {
    const printed = await printedLines(async () => {
      const error = await assertRejects(
        () => display(figure, { caption: value as unknown as string }),
        SettingError,
      );
      assertEquals(error.message.includes("DisplayOptions.caption"), true);
    });
    assertEquals(printed, []);
  }
});

Deno.test("createProgress in a kernel: one output updated in place, nothing printed; done() rethrows a failed display", async () => {
  const result = await evalInSubprocess<{
    shown: Array<{ plain: string; update: boolean; id: string; raw: boolean }>;
    printed: string[];
    failure: string | null;
  }>(`
${RECORDER}
const { createProgress } = await import(${projectModule("lib/notebook/progress.ts")});
const printed = [];
const progress = createProgress({ label: "run", total: 2, print: (line) => printed.push(line) });
progress.report({ step: 1 });
progress.report({ step: 2 });
await progress.done();
const records = shown.map(({ plain, options }) => ({
  plain,
  update: options.update,
  id: options.display_id,
  raw: options.raw,
}));
reject = true;
const failing = createProgress({ label: "failing", print: (line) => printed.push(line) });
failing.report({ step: 1 });
let failure = null;
try {
  await failing.done();
} catch (error) {
  failure = error.message;
}
console.log(JSON.stringify({ shown: records, printed, failure }));
Deno.exit(0);
`);
  assertEquals(result.shown.map(({ plain, update }) => [plain, update]), [
    ["run 1/2 [##########----------] 50%", false],
    ["run 2/2 [####################] 100%", true],
  ]);
  assertEquals(result.shown[0].id, result.shown[1].id);
  // raw: the object is the MIME bundle itself; without it the kernel shows the object as a value.
  assertEquals(result.shown.map(({ raw }) => raw), [true, true]);
  assertEquals(result.printed, []);
  assertEquals(result.failure, "display refused");
});

Deno.test("workProgress in a kernel: every event updates the line, none is held back for a terminal's few seconds", async () => {
  const shown = await evalInSubprocess<string[]>(`
${RECORDER}
const { workProgress } = await import(${projectModule("lib/notebook/work_progress.ts")});
const { USERS } = await import(${projectModule("lib/util/work_progress.ts")});
const printed = [];
const progress = workProgress("evaluation", USERS, { print: (line) => printed.push(line) });
progress.onProgress({ done: 10, total: 40, seconds: 0.5 });
progress.onProgress({ done: 20, total: 40, seconds: 1 });
await progress.done();
if (printed.length > 0) throw new Error("printed in a kernel: " + printed.join(" | "));
console.log(JSON.stringify(shown.map(({ plain }) => plain)));
Deno.exit(0);
`);
  assertEquals(shown, [
    "evaluation 10/40 [#####---------------] 25% users/s=20 users, 0.5 s, about 2 s of it left",
    "evaluation 20/40 [##########----------] 50% users/s=20 users, 1.0 s, about 1 s of it left",
  ]);
});

Deno.test("display and displayTable in a kernel: each figure its own element and caption; a table as HTML and plain text", async () => {
  const result = await evalInSubprocess<{
    ids: string[];
    plain: string[];
    captioned: boolean[];
    table: { html: boolean; plain: string; raw: boolean };
    printed: number;
  }>(`
${RECORDER}
const printed = [];
console.log = (...parts) => printed.push(parts.join(" "));
const { display, displayTable } = await import(${projectModule("lib/notebook/display.ts")});
const bars = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: { title: { text: "bars" } } };
await display(bars, { caption: "What the bars show." });
await display(bars);
await displayTable({ columns: ["model", "NDCG@10"], rows: [["Pop", 0.5]] });
const figures = shown.slice(0, 2);
const table = shown[2];
const out = {
  ids: figures.map(({ html }) => html.match(/<div class="[^"]*" id="([^"]+)"/)?.[1] ?? "none"),
  plain: figures.map(({ plain }) => plain),
  captioned: figures.map(({ html }) => html.includes("<figcaption")),
  table: { html: table.html.includes("<table"), plain: table.plain, raw: table.options?.raw === true },
  printed: printed.length,
};
Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(out) + "\\n"));
Deno.exit(0);
`);
  assertEquals(result.ids.length, 2);
  assertEquals(new Set(result.ids).size, 2, `two figures, one element id: ${result.ids}`);
  assertEquals(result.plain, ["Figure: bars\nWhat the bars show.", "Figure: bars"]);
  assertEquals(result.captioned, [true, false]);
  assertEquals(result.table, { html: true, plain: "model\tNDCG@10\nPop\t0.5000", raw: true });
  assertEquals(result.printed, 0, "nothing printed in a kernel");
});
