/**
 * The layout check (scripts/folder_graph.ts) where mutation round mu54d found no test: a dynamic
 * import that `deno fmt` wraps over lines (`await import(\n  "../x/y.ts"\n)`, as
 * scripts/prepare_data.ts has) is an import too (FG3: without the spaces the pattern allowed, it
 * was missed); only files ending in `.ts` are read, not `x.ts.orig` or `ratings.tsv` (FG4); and
 * `-h x` names the stray `x`, not the `-h` beside it (FG45).
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { folderGraph, relativeSpecifiers } from "../../scripts/folder_graph.ts";
import { runScript } from "../cli/_run_script.ts";

Deno.test("relativeSpecifiers: a dynamic import wrapped over lines by deno fmt is found", () => {
  const source = 'const { a } = await import(\n  "../b/b.ts"\n);\nawait import( "./c.ts" );\n';
  assertEquals(relativeSpecifiers(source), ["../b/b.ts", "./c.ts"]);
});

Deno.test("folderGraph: a file whose name only contains .ts (a backup, a .tsv) is not read", () => {
  const root = Deno.makeTempDirSync();
  const files: Record<string, string> = {
    "lib/a/mod.ts": 'export * from "./a.ts";\n',
    "lib/a/a.ts": "export const a = 1;\n",
    "lib/a/a.ts.orig": 'import "../b/_b.ts";\n',
    "lib/a/ratings.tsv": 'import "../b/b.ts";\n',
    "lib/b/mod.ts": 'export * from "./b.ts";\n',
    "lib/b/b.ts": "export const b = 1;\n",
    "lib/b/_b.ts": "export const c = 1;\n",
  };
  try {
    for (const [path, source] of Object.entries(files)) {
      Deno.mkdirSync(join(root, path, ".."), { recursive: true });
      Deno.writeTextFileSync(join(root, path), source);
    }
    const graph = folderGraph(root);
    assertEquals(graph.imports, []);
    assertEquals([...graph.edges.get("a")!], []);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("folder_graph: -h beside a stray word names the word", async () => {
  const run = await runScript("scripts/folder_graph.ts", ["-h", "x"], ["--allow-read"]);
  assertEquals(
    [run.code, run.stdout, run.stderr],
    [2, "", 'folder_graph: unexpected argument "x" (the script takes none); see --help\n'],
  );
});
