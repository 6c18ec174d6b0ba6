/**
 * What the committed notebooks' pages say, read from their code: every page that quick mode
 * changes carries the quick-mode notice (notebooks 00 and 08 printed only "quick mode: true"),
 * and the smoke notebook's demo figures have titles (they had none).
 */
import { assertEquals } from "@std/assert";
import { listNotebooks, notebookModule } from "../../lib/notebook_runner/mod.ts";

const notebooksDir = new URL("../../notebooks", import.meta.url).pathname;

/** Each notebook's code cells, as the type check reads them (`notebookModule`), by file name. */
async function notebookCode(): Promise<Map<string, string>> {
  const code = new Map<string, string>();
  for (const path of await listNotebooks(notebooksDir)) {
    const { code: module } = notebookModule(
      await Deno.readTextFile(path),
      new URL(`file://${path}`),
    );
    code.set(path.slice(path.lastIndexOf("/") + 1), module);
  }
  return code;
}

Deno.test("notebooks: every page that quick mode changes says where its numbers come from", async () => {
  const code = await notebookCode();
  assertEquals(code.size > 0, true, "no notebooks found");
  // notebookPlan prints the notice with the quick plan; showQuickModeNotice without one. A page
  // that quick mode does not change (01's data tour) needs none.
  const withoutNotice = [...code].filter(([, source]) =>
    /\bisQuickMode\(/.test(source) && !/\bnotebookPlan\(/.test(source) &&
    !/\bshowQuickModeNotice\(\)/.test(source)
  ).map(([name]) => name);
  assertEquals(withoutNotice, []);
  const ownLine = [...code].filter(([, source]) => /quick mode: \$\{/.test(source))
    .map(([name]) => name);
  assertEquals(ownLine, [], "a notebook of its own 'quick mode: ...' line instead of the notice");
});

/** The argument text of every `name(...)` call in `source` (balanced parentheses). */
function callArguments(source: string, name: string): string[] {
  const calls: string[] = [];
  for (const match of source.matchAll(new RegExp(`\\b${name}\\(`, "g"))) {
    let depth = 0;
    const start = match.index! + match[0].length - 1;
    for (let index = start; index < source.length; index++) {
      if (source[index] === "(") depth++;
      if (source[index] === ")" && --depth === 0) {
        calls.push(source.slice(start + 1, index));
        break;
      }
    }
  }
  return calls;
}

Deno.test("notebook 00: each demo figure has a title", async () => {
  const source = (await notebookCode()).get("00_smoke.ipynb")!;
  const builders = ["contributionHeatmap", "trainingCurves", "groupedBars", "lineWithBands"];
  const untitled: string[] = [];
  let figures = 0;
  for (const builder of builders) {
    for (const call of callArguments(source, builder)) {
      figures++;
      if (!/\btitle: "[^"]+"/.test(call)) untitled.push(builder);
    }
  }
  assertEquals(figures, builders.length, "one figure of each kind");
  assertEquals(untitled, []);
});
