/**
 * renderHtmlReport and writeHtmlReport (lib/viz/html_report.ts), third mutation pass (round OF):
 * the default title, an empty caption, the section an error names after a figure, and a report
 * written by a bare file name.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { renderHtmlReport } from "../../lib/viz/mod.ts";
import type { Figure } from "../../lib/viz/mod.ts";
import { inTempDir } from "./_temp_dir.ts";

const figure: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };

Deno.test("report: the default page title is 'Report'", async () => {
  // Found by mutation round OF (OF24): the default was read by no test.
  const html = await renderHtmlReport([{ kind: "text", markdown: "x" }]);
  assertStringIncludes(html, "<title>Report</title>");
});

Deno.test("report: an empty caption writes no empty figcaption", async () => {
  // Found by mutation round OF (OF23).
  await inTempDir("html-report-gaps-", async (dir) => {
    const plotlyPath = `${dir}/plotly.js`;
    await Deno.writeTextFile(plotlyPath, "/*FAKE PLOTLY*/");
    const html = await renderHtmlReport([{ kind: "figure", figure, caption: "" }], { plotlyPath });
    assertEquals(html.includes("<figcaption"), false);
    assertStringIncludes(html, "</script></figure>");
  });
});

Deno.test("report: a bad table after a figure names its own section index, not a figure count", async () => {
  // Found by mutation round OF (OF25): the old test's table was section 0 with no figure before.
  const error = await renderHtmlReport([
    { kind: "text", markdown: "x" },
    { kind: "figure", figure },
    { kind: "table", columns: ["a", "b"], rows: [["y"]] },
  ]).catch((caught: Error) => caught);
  assert(error instanceof Error);
  assertStringIncludes(error.message, "renderHtmlReport: section 2 table row 0");
});

Deno.test("writeHtmlReport: a bare file name is written in the working folder, no folder made", async () => {
  // Found by mutation round OF (OF26): without its "." case a bare name made a stray folder of
  // the name less its last character ("report.htm"). A subprocess: the cwd is the process's.
  await inTempDir("html-report-bare-", async (dir) => {
    const module = new URL("../../lib/viz/mod.ts", import.meta.url).href;
    const code = `import { writeHtmlReport } from ${JSON.stringify(module)};\n` +
      `await writeHtmlReport("report.html", [{ kind: "text", markdown: "# Bare" }]);`;
    const { code: status, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-check", code],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    assertEquals(status, 0, new TextDecoder().decode(stderr));
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["report.html"]);
    assertStringIncludes(await Deno.readTextFile(`${dir}/report.html`), "<h1>Bare</h1>");
  });
});
