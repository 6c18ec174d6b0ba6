/**
 * The layout of `lib/`: folders import only downward (no cycle), private files stay in their
 * folder, and every folder has a `mod.ts` that only re-exports. The checks themselves are tested on
 * a small fixture tree first, so a check that found nothing would fail here.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  consumerProblems,
  folderCycles,
  folderGraph,
  layoutProblems,
} from "../../scripts/folder_graph.ts";

function fixture(files: Record<string, string>): string {
  const root = Deno.makeTempDirSync();
  for (const [path, source] of Object.entries(files)) {
    Deno.mkdirSync(join(root, path, ".."), { recursive: true });
    Deno.writeTextFileSync(join(root, path), source);
  }
  return root;
}

Deno.test("folder graph: finds a cycle, private and top-folder imports, a mod.ts that does more", () => {
  const root = fixture({
    "lib/a/mod.ts": '/** A. */\nexport { a } from "./a.ts";\n',
    "lib/a/a.ts": 'import { b } from "../b/_b.ts";\nexport const a = b;\n',
    "lib/b/mod.ts": 'export * from "./_b.ts";\nexport const extra = 1;\n',
    "lib/b/_b.ts": 'import type { a } from "../a/mod.ts";\nexport const b: typeof a = 1;\n',
    "lib/c/c.ts": 'export { a } from "../a/mod.ts";\nconst later = import("../b/_b.ts");\n',
    "lib/d/mod.ts": 'export * from "./d.ts";\n',
    "lib/d/d.ts": 'import "../c/c.ts";\nexport const d = 1;\n',
  });
  try {
    const graph = folderGraph(root);
    assertEquals([...graph.edges.get("c")!].sort(), ["a", "b"]);
    assertEquals(folderCycles(graph), [["a", "b", "a"]]);
    assertEquals(layoutProblems(root, ["c"]), [
      "folder cycle a -> b -> a (lib/a/a.ts imports lib/b/_b.ts; lib/b/_b.ts imports lib/a/mod.ts)",
      "lib/a/a.ts imports the private file lib/b/_b.ts of another folder",
      "lib/c/c.ts imports the private file lib/b/_b.ts of another folder",
      "lib/b/mod.ts does more than re-export: export const extra = 1;",
      "lib/c has no mod.ts",
      "lib/d/d.ts imports lib/c/c.ts: c is a top folder (only notebooks and scripts use it)",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("lib/: imports only downward, private files and top folders stay private, mod.ts each", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  assertEquals(layoutProblems(root), []);
});

Deno.test("consumers: a script, benchmark or notebook importing a lib file other than mod.ts is found", () => {
  const notebook = {
    cells: [
      { cell_type: "markdown", source: ['import { x } from "../lib/a/_hidden.ts";'] },
      {
        cell_type: "code",
        source: ['import { a } from "../mod.ts";\n', 'import { b } from "../lib/b/b.ts";'],
      },
      { cell_type: "code", source: 'import { tf } from "../lib/backend/mod.ts";' },
    ],
  };
  const root = fixture({
    "mod.ts": 'export * from "./lib/a/mod.ts";\n',
    "scripts/ok.ts": 'import { a } from "../mod.ts";\nimport { b } from "../lib/b/mod.ts";\n',
    "scripts/sub/deep.ts": 'import { a } from "../../lib/a/a.ts";\n',
    // Allowed to import lib/a/a.ts directly (below), not lib/a/_hidden.ts.
    "scripts/light.ts": 'import { a } from "../lib/a/a.ts";\nimport "../lib/a/_hidden.ts";\n',
    "bench/_helper.ts": 'export { a } from "../lib/a/nested/mod.ts";\nimport "./other.ts";\n',
    "notebooks/01.ipynb": JSON.stringify(notebook),
  });
  try {
    assertEquals(consumerProblems(root, undefined, { "scripts/light.ts": ["lib/a/a.ts"] }), [
      "scripts/light.ts imports lib/a/_hidden.ts: import the root mod.ts or lib/a/mod.ts",
      "scripts/sub/deep.ts imports lib/a/a.ts: import the root mod.ts or lib/a/mod.ts",
      "bench/_helper.ts imports lib/a/nested/mod.ts: import the root mod.ts or lib/a/mod.ts",
      "notebooks/01.ipynb imports lib/b/b.ts: import the root mod.ts or lib/b/mod.ts",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("scripts, benchmarks and notebooks import only mod.ts files of the library", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  assertEquals(consumerProblems(root), []);
});

Deno.test("folder graph: a cycle below the first folder is reported from where it starts, with its own imports", () => {
  // a -> b; b -> c (c imports nothing more), b -> d, d -> b: the cycle b -> d -> b is found after
  // c was visited and left, and b's import of c is no witness of it. a's import of a private file
  // in a subfolder of c is private too, and a line comment in a mod.ts is no code.
  const root = fixture({
    "lib/a/mod.ts": '// A line comment.\nexport * from "./a.ts";\n',
    "lib/a/a.ts": 'import "../b/b.ts";\nimport "../c/sub/_x.ts";\nimport "../root.ts";\n',
    "lib/b/mod.ts": 'export * from "./b.ts";\n',
    "lib/b/b.ts": 'import "../c/c.ts";\nimport "../d/d.ts";\n',
    "lib/c/mod.ts": 'export * from "./c.ts";\n',
    "lib/c/c.ts": "export const c = 1;\n",
    "lib/c/sub/_x.ts": "export const x = 1;\n",
    "lib/d/mod.ts": 'export * from "./d.ts";\n',
    "lib/d/d.ts": 'import "../b/mod.ts";\n',
    "lib/root.ts": "export const root = 1;\n",
  });
  try {
    const graph = folderGraph(root);
    assertEquals([...graph.edges.get("a")!].sort(), ["b", "c"]);
    assertEquals(folderCycles(graph), [["b", "d", "b"]]);
    assertEquals(layoutProblems(root, []), [
      "folder cycle b -> d -> b (lib/b/b.ts imports lib/d/d.ts; lib/d/d.ts imports lib/b/mod.ts)",
      "lib/a/a.ts imports the private file lib/c/sub/_x.ts of another folder",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("consumers: a missing consumer folder or notebooks/ is skipped; a notebooks/ that is a file is an error", () => {
  const root = fixture({
    "scripts/deep.ts": 'import { a } from "../lib/a/a.ts";\n',
  });
  try {
    assertEquals(consumerProblems(root, undefined, {}), [
      "scripts/deep.ts imports lib/a/a.ts: import the root mod.ts or lib/a/mod.ts",
    ]);
    Deno.writeTextFileSync(join(root, "notebooks"), "");
    assertThrows(() => consumerProblems(root, undefined, {}), Deno.errors.NotADirectory);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("folder graph: only .ts files under lib/ are read, and only imports that land in lib/ count", () => {
  // A README's example import is no code; a path that leaves lib/ (a vendored file) is no folder
  // of the graph, and its private file is none of lib/'s business.
  const root = fixture({
    "lib/a/mod.ts": 'export * from "./a.ts";\n',
    "lib/a/a.ts": 'import "../../vendor/x/_y.ts";\nexport const a = 1;\n',
    "lib/a/README.md": 'import { b } from "../b/_b.ts";\n',
    "lib/b/mod.ts": 'export * from "./_b.ts";\n',
    "lib/b/_b.ts": "export const b = 1;\n",
  });
  try {
    const graph = folderGraph(root);
    assertEquals([...graph.edges.get("a")!], []);
    assertEquals(graph.imports, []);
    assertEquals(layoutProblems(root, []), []);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("folder graph: cycles come in folder-name order, whatever the order of the imports", () => {
  const root = fixture({
    "lib/a/a.ts": 'import "../c/c.ts";\nimport "../b/b.ts";\n',
    "lib/b/b.ts": 'import "../a/a.ts";\n',
    "lib/c/c.ts": 'import "../a/a.ts";\n',
  });
  try {
    assertEquals(folderCycles(folderGraph(root)), [["a", "b", "a"], ["a", "c", "a"]]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("mod.ts: `export * as name from` and `export type {...} from` are re-exports", () => {
  const root = fixture({
    "lib/a/mod.ts": 'export * as shapes from "./a.ts";\nexport type { A } from "./a.ts";\n',
    "lib/a/a.ts": "export type A = number;\n",
  });
  try {
    assertEquals(layoutProblems(root, []), []);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("consumers: a consumer path that is a file, and a notebooks/ file that is no .ipynb, are skipped", () => {
  const root = fixture({
    "bench": "not a folder\n",
    "notebooks/README.md": 'See import { a } from "../lib/a/a.ts";\n',
    "notebooks/01.ipynb": JSON.stringify({
      cells: [{ cell_type: "code", source: 'import { a } from "../lib/a/a.ts";' }],
    }),
  });
  try {
    assertEquals(consumerProblems(root, undefined, {}), [
      "notebooks/01.ipynb imports lib/a/a.ts: import the root mod.ts or lib/a/mod.ts",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("deno run scripts/folder_graph.ts: prints the graph, names each broken rule, exits 1", async () => {
  // The script checks the tree it sits in: a copy of it in a fixture checks the fixture.
  const script = Deno.readTextFileSync(new URL("../../scripts/folder_graph.ts", import.meta.url));
  const root = fixture({
    "scripts/folder_graph.ts": script,
    "scripts/x.ts": 'import "../lib/a/a.ts";\n',
    "lib/a/mod.ts": 'export * from "./a.ts";\n',
    "lib/a/a.ts": 'import "../b/b.ts";\n',
    "lib/b/mod.ts": 'export * from "./b.ts";\n',
    "lib/b/b.ts": "export const b = 1;\n",
  });
  try {
    const run = async () => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-config", "--allow-read", join(root, "scripts/folder_graph.ts")],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
    };
    const broken = await run();
    assertEquals(broken.stdout, `${"a".padEnd(12)} -> b\n${"b".padEnd(12)} -> \n`);
    assertEquals(
      broken.stderr,
      "scripts/x.ts imports lib/a/a.ts: import the root mod.ts or lib/a/mod.ts\n",
    );
    assertEquals(broken.code, 1);
    Deno.removeSync(join(root, "scripts/x.ts"));
    assertEquals((await run()).code, 0);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("layoutProblems: by default the top folders are notebook, notebook_runner and prepare", () => {
  const root = fixture({
    "lib/a/mod.ts": 'export * from "./a.ts";\n',
    "lib/a/a.ts": 'import "../notebook/n.ts";\nimport "../prepare/p.ts";\n',
    "lib/notebook/mod.ts": 'export * from "./n.ts";\n',
    "lib/notebook/n.ts": "export const n = 1;\n",
    "lib/prepare/mod.ts": 'export * from "./p.ts";\n',
    "lib/prepare/p.ts": "export const p = 1;\n",
  });
  try {
    assertEquals(layoutProblems(root), [
      "lib/a/a.ts imports lib/notebook/n.ts: notebook is a top folder (only notebooks and scripts use it)",
      "lib/a/a.ts imports lib/prepare/p.ts: prepare is a top folder (only notebooks and scripts use it)",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("consumers: problems come file by file in name order, whatever order the folder lists them in", () => {
  const names = ["m", "c", "x", "a", "q", "f", "b", "z"];
  const files: Record<string, string> = {};
  for (const name of names) {
    files[`scripts/${name}.ts`] = `import "../lib/${name}/${name}.ts";\n`;
    files[`notebooks/${name}.ipynb`] = JSON.stringify({
      cells: [{ cell_type: "code", source: `import "../lib/${name}/${name}.ts";` }],
    });
  }
  const root = fixture(files);
  try {
    const sorted = [...names].sort();
    assertEquals(consumerProblems(root, ["scripts"], {}).map((line) => line.split(" ")[0]), [
      ...sorted.map((name) => `scripts/${name}.ts`),
      ...sorted.map((name) => `notebooks/${name}.ipynb`),
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
