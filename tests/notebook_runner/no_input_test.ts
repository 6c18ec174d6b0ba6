/**
 * `deno task notebooks --no-input`: one execution renders both pages, `<name>.html` with the code
 * and `<name>.report.html` without it. On the report fixture (a markdown cell, a cell that prints,
 * a cell whose value is its output), the page without code holds the prose and every output but
 * no code cell's text, no `In [n]:` and no `Out[n]:` prompt; the normal page still holds the code.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot: root });
const ignore = problem !== null;
if (ignore) console.warn(`--no-input test skipped: ${problem}`);

/** The page's text as a reader sees it: tags dropped, entities and whitespace normalised. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;|&#160;/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

Deno.test({
  name: "notebooks --no-input: the report page has every output and no code; the page keeps it",
  ignore,
  async fn() {
    const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
      tasks: Record<string, string>;
    }).tasks.notebooks;
    const words = task.split(/\s+/);
    const out = `build/notebooks/no-input-test-${crypto.randomUUID().slice(0, 8)}`;
    // Removes it and, if empty, the build/ folders above it that it made.
    const removeMade = removalOfMade(`${root}/${out}`);
    try {
      const run = await new Deno.Command(Deno.execPath(), {
        args: [
          ...words.slice(words.indexOf("run")),
          "--no-input",
          "--out",
          out,
          "tests/notebook_runner/fixtures/report.ipynb",
        ],
        cwd: root,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      const said = decode(run.stdout) + decode(run.stderr);
      assertEquals(run.code, 0, said);
      assertStringIncludes(said, `${out}/report.html, ${out}/report.report.html`);

      const page = visibleText(Deno.readTextFileSync(`${root}/${out}/report.html`));
      const report = visibleText(Deno.readTextFileSync(`${root}/${out}/report.report.html`));
      // Both pages: the prose and each cell's output (a printed line, an expression's value).
      for (const text of [page, report]) {
        assertStringIncludes(text, "The prose stays on the page without code.");
        assertStringIncludes(text, "visible result 42");
        assertStringIncludes(text, "43");
      }
      // The normal page shows the code and its prompts; the report none of them.
      for (const code of ["plantedCodeOnlyName", "secondPlantedName", ".join("]) {
        assertStringIncludes(page, code);
        assert(!report.includes(code), `the report page shows code: ${code}`);
      }
      assert(/In \[1\]:/.test(page) && /Out\[2\]:/.test(page), "the page has its prompts");
      assert(!/In \[\d*\]:/.test(report), "the report page shows an In [n]: prompt");
      assert(!/Out\[\d*\]:/.test(report), "the report page shows an Out[n]: prompt");
    } finally {
      removeMade();
    }
  },
});
