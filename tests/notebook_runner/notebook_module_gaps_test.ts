/**
 * notebookModule and locateInNotebook (lib/notebook_runner/notebook_module.ts) on what the earlier
 * rounds did not try: specifiers that are not relative, and locations outside the module.
 * Found by mutation round OD.
 */
import { assertEquals } from "@std/assert";
import { locateInNotebook, notebookModule } from "../../lib/notebook_runner/notebook_module.ts";

const notebookUrl = new URL("file:///work/notebooks/n.ipynb");

/** The module of one code cell holding `source`. */
function moduleOf(source: string) {
  return notebookModule(
    JSON.stringify({ cells: [{ cell_type: "code", source: [source] }] }),
    notebookUrl,
  );
}

Deno.test("notebookModule: only ./ and ../ specifiers are resolved; import-map, jsr:, npm: and URL ones are left", () => {
  // OD35: resolving every specifier made "@std/assert" a file beside the notebook.
  const kept = [
    'import { assertEquals } from "@std/assert";',
    'import * as tf from "npm:@tensorflow/tfjs-core";',
    "import { join } from 'jsr:@std/path';",
    'const m = await import("https://example.org/m.ts");',
    'import "lib/mod.ts";',
  ];
  const lines = moduleOf(kept.join("\n")).code.split("\n");
  assertEquals(lines.slice(2, 2 + kept.length), kept);
});

Deno.test("locateInNotebook: a location before the first line or past the module's end is left as written", () => {
  // OD33: only lines the extraction added (null origins) were tried; a line the module does not
  // have has no origin at all.
  const module = moduleOf("let a = 1;");
  // Lines: 1 header, 2 "// cell 0", 3 "let a = 1;", 4 ";", 5 export, 6 "" (the last newline).
  const url = "file:///tmp/n.ts";
  const output = `${url}:0:1 ${url}:3:5 ${url}:7:1 ${url}:99:2`;
  assertEquals(
    locateInNotebook(output, url, module, "n.ipynb"),
    `${url}:0:1 n.ipynb cell 0 line 1:5 ${url}:7:1 ${url}:99:2`,
  );
});
