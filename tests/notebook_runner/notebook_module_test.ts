/**
 * Notebooks are type-checked as modules of their code cells: cells share one scope in order, with
 * top-level await, relative imports resolve from the notebook's folder, and an error is reported
 * at its notebook, cell and line.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { locateInNotebook, notebookModule } from "../../lib/notebook_runner/notebook_module.ts";

const fixtures = new URL("./fixtures/", import.meta.url);
const root = new URL("../../", import.meta.url);

function checkNotebooks(...paths: string[]): { code: number; output: string } {
  return checkNotebooksWith({}, ...paths);
}

/** {@linkcode checkNotebooks} with `env` added to the script's environment. */
function checkNotebooksWith(
  env: Record<string, string>,
  ...paths: string[]
): { code: number; output: string } {
  const { code, stdout, stderr } = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("scripts/check_notebooks.ts", root).pathname, ...paths],
    cwd: root.pathname,
    env: { NO_COLOR: "1", ...env },
  }).outputSync();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("notebookModule: code cells in order, one scope, imports resolved from the notebook", () => {
  const url = new URL("typecheck_ok.ipynb", fixtures);
  const { code, origins } = notebookModule(Deno.readTextFileSync(url), url);
  const lines = code.split("\n");
  const importLine = lines.findIndex((line) => line.includes("isQuickMode }"));
  assertEquals(
    lines[importLine],
    `import { isQuickMode } from "${new URL("lib/notebook/quick_mode.ts", root).href}";`,
  );
  assertEquals(origins[importLine], { cell: 0, line: 1 });
  const total = lines.findIndex((line) => line.startsWith("const total"));
  assertEquals(origins[total], { cell: 3, line: 1 }, "markdown cells keep their index");
  // Cell 0 ends without a semicolon and cell 2 starts with "[": a ";" keeps them two statements.
  const cell2 = lines.indexOf("[answer, isQuickMode()]");
  assertEquals(lines[cell2 - 2], ";");
  assertEquals(code.includes("Cells share one scope"), false, "markdown is not code");
});

Deno.test("check_notebooks: passes a correct notebook, names the cell and line of a type error", () => {
  // Its temporary modules go to a folder of their own (TMPDIR), removed once checked.
  const temporary = Deno.makeTempDirSync({ prefix: "check_notebooks_tmp_" });
  try {
    const ok = checkNotebooksWith(
      { TMPDIR: temporary },
      new URL("typecheck_ok.ipynb", fixtures).pathname,
    );
    assertEquals(ok.code, 0, ok.output);
    assertStringIncludes(ok.output, "1 notebooks type-check");
    // With RUST_BACKTRACE set, Deno adds its own backtrace to the failed check: left out.
    const broken = checkNotebooksWith(
      { TMPDIR: temporary, RUST_BACKTRACE: "1" },
      new URL("typecheck_ok.ipynb", fixtures).pathname,
      new URL("typecheck_error.ipynb", fixtures).pathname,
    );
    assertEquals(broken.code, 1, broken.output);
    assertStringIncludes(broken.output, "TS2322");
    // A notebook of the project is named from the project folder, not by its absolute path.
    // From the project folder exactly: not "/tests/..." (found by mutation round FE, FE21).
    assertStringIncludes(
      broken.output,
      " at tests/notebook_runner/fixtures/typecheck_error.ipynb cell 3 line 2:7",
    );
    assertEquals(broken.output.includes(root.pathname), false, broken.output);
    assertEquals(broken.output.includes("Stack backtrace"), false, broken.output);
    assertEquals(broken.output.includes("typecheck_ok.ipynb cell"), false, broken.output);
    // A path relative to the folder it is run from.
    const relative = checkNotebooksWith(
      { TMPDIR: temporary },
      "tests/notebook_runner/fixtures/typecheck_ok.ipynb",
    );
    assertEquals(relative.code, 0, relative.output);
    assertStringIncludes(relative.output, "1 notebooks type-check");
    // ... also when that folder is not the project's (FE23).
    const fromFixtures = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("scripts/check_notebooks.ts", root).pathname,
        "typecheck_ok.ipynb",
      ],
      cwd: fixtures.pathname,
      env: { NO_COLOR: "1", TMPDIR: temporary },
    }).outputSync();
    assertEquals(fromFixtures.code, 0, new TextDecoder().decode(fromFixtures.stderr));
    assertEquals([...Deno.readDirSync(temporary)], [], "temporary modules left behind");
  } finally {
    Deno.removeSync(temporary, { recursive: true });
  }
});

Deno.test("check_notebooks: --help, and a path that is no notebook, are one line each, not a stack", () => {
  const help = checkNotebooks("--help");
  assertEquals(help.code, 0, help.output);
  assertStringIncludes(help.output, "Usage: deno task check-notebooks");
  const folder = Deno.makeTempDirSync({ prefix: "check_notebooks_", suffix: ".ipynb" });
  const cases: [string, string][] = [
    ["nosuch.ipynb", "check_notebooks: nosuch.ipynb: no such notebook; see --help\n"],
    ["README.md", "check_notebooks: README.md: not a notebook (.ipynb); see --help\n"],
    // A folder whose name ends in .ipynb is no notebook either.
    [folder, `check_notebooks: ${folder}: no such notebook; see --help\n`],
    ["--bogus", "check_notebooks: Unknown option '--bogus' (options: --help/-h); see --help\n"],
  ];
  // A file named .ipynb that is no JSON notebook: one line naming it, status 1 (FE22).
  const notJson = `${Deno.makeTempDirSync({ prefix: "check_notebooks_json_" })}/x.ipynb`;
  Deno.writeTextFileSync(notJson, '{"cells": 3\n');
  const broken = checkNotebooks(notJson);
  Deno.removeSync(notJson.slice(0, -"/x.ipynb".length), { recursive: true });
  assertEquals(broken.code, 1, broken.output);
  assertMatch(
    broken.output,
    new RegExp(`^check_notebooks: ${notJson}: not a notebook \\(.+\\)\n$`),
  );
  try {
    for (const [path, message] of cases) {
      assertEquals(checkNotebooks(path), { code: 2, output: message }, path);
    }
  } finally {
    Deno.removeSync(folder);
  }
});

Deno.test("check_notebooks: a notebook outside the task's reads is one line, not a NotCapable stack", () => {
  const folder = Deno.makeTempDirSync({ prefix: "check_notebooks_outside_" });
  try {
    const outside = `${folder}/mine.ipynb`;
    Deno.copyFileSync(new URL("typecheck_ok.ipynb", fixtures), outside);
    // The task's flags (deno.json): the project's reads only.
    const { code, stdout, stderr } = new Deno.Command(Deno.execPath(), {
      args: [
        ...["run", "--no-prompt", "--allow-read=.", "--allow-write=/tmp"],
        `--allow-run=${Deno.execPath()}`,
        new URL("scripts/check_notebooks.ts", root).pathname,
        outside,
      ],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
    }).outputSync();
    const decoder = new TextDecoder();
    assertEquals([code, decoder.decode(stdout), decoder.decode(stderr)], [
      2,
      "",
      `check_notebooks: ${outside}: outside the task's --allow-read (add its folder: ` +
      "docs/permissions.md); see --help\n",
    ]);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("notebookModule: a dynamic import and a side-effect import resolve from the notebook too", () => {
  const url = new URL("file:///work/notebooks/07_page.ipynb");
  const cell = ['const { x } = await import("../lib/x.ts");\n', 'import "./setup.ts";\n'];
  const { code } = notebookModule(
    JSON.stringify({ cells: [{ cell_type: "code", source: cell }] }),
    url,
  );
  const lines = code.split("\n");
  assertEquals(lines[2], 'const { x } = await import("file:///work/lib/x.ts");');
  assertEquals(lines[3], 'import "file:///work/notebooks/setup.ts";');
});

Deno.test("notebookModule: raw and markdown cells are no code; a source given as one string is", () => {
  const url = new URL("file:///work/notebooks/07_page.ipynb");
  const { code, origins } = notebookModule(
    JSON.stringify({
      cells: [
        { cell_type: "raw", source: ["not code\n"] },
        { cell_type: "markdown", source: "# title" },
        // nbformat allows a cell's source as one string as well as a list of lines.
        { cell_type: "code", source: "const a = await Promise.resolve(1);\na;" },
      ],
    }),
    url,
  );
  assertEquals(code.split("\n"), [
    "// Code cells of /work/notebooks/07_page.ipynb (generated for a type check; not run).",
    "// cell 2",
    "const a = await Promise.resolve(1);",
    "a;",
    ";",
    // A module although the notebook imports nothing: top-level await needs one.
    "export {};",
    "",
  ]);
  assertEquals(origins, [null, null, { cell: 2, line: 1 }, { cell: 2, line: 2 }, null, null]);
});

Deno.test("notebookModule: every relative import of a line is resolved, not only the first", () => {
  const url = new URL("file:///work/notebooks/07_page.ipynb");
  const cell = ['import "./a.ts"; import { b } from "../b.ts";'];
  const { code } = notebookModule(
    JSON.stringify({ cells: [{ cell_type: "code", source: cell }] }),
    url,
  );
  assertEquals(
    code.split("\n")[2],
    'import "file:///work/notebooks/a.ts"; import { b } from "file:///work/b.ts";',
  );
});

Deno.test("locateInNotebook: every location of the module, a path with regex characters, added lines left", () => {
  const module = notebookModule(
    JSON.stringify({ cells: [{ cell_type: "code", source: ["let a = 1;\n", "a = 2;"] }] }),
    new URL("file:///w/n.ipynb"),
  );
  // The module's lines: 1 header, 2 "// cell 0", 3 "let a = 1;", 4 "a = 2;", 5 ";", 6 export.
  const url = "file:///tmp/a+b/n.ts";
  const output = [
    `${url}:3:5`,
    `${url}:4:1 and ${url}:3:9`,
    `${url}:5:1`, // a line the extraction added: left as deno check wrote it
    "file:///tmp/ab/n.ts:3:5", // another module ("+" is no regex quantifier here)
  ].join("\n");
  assertEquals(
    locateInNotebook(output, url, module, "n.ipynb"),
    [
      "n.ipynb cell 0 line 1:5",
      "n.ipynb cell 0 line 2:1 and n.ipynb cell 0 line 1:9",
      `${url}:5:1`,
      "file:///tmp/ab/n.ts:3:5",
    ].join("\n"),
  );
});

/** A notebook of one code cell holding `source`. */
function oneCellNotebook(source: string): string {
  return JSON.stringify({ cells: [{ cell_type: "code", source: [source] }] });
}

Deno.test("check_notebooks: two notebooks of one name in two folders are both checked, each named by its path", () => {
  // Before, both became one temporary module (the last written): the type error of a/nb.ipynb
  // went unseen and b's cell was reported as a's (found by mutation round FE).
  const folder = Deno.makeTempDirSync({ prefix: "check_notebooks_same_name_" });
  try {
    for (
      const [sub, source] of [["a", 'const a: number = "text";\na;'], ["b", "const b = 1;\nb;"]]
    ) {
      Deno.mkdirSync(`${folder}/${sub}`);
      Deno.writeTextFileSync(`${folder}/${sub}/nb.ipynb`, oneCellNotebook(`${source}\n`));
    }
    for (const order of [["a", "b"], ["b", "a"]]) {
      const { code, output } = checkNotebooks(...order.map((sub) => `${folder}/${sub}/nb.ipynb`));
      assertEquals(code, 1, output);
      assertStringIncludes(output, "TS2322");
      assertStringIncludes(output, `at ${folder}/a/nb.ipynb cell 0 line 1:7`);
      assertEquals(output.includes(`${folder}/b/nb.ipynb cell`), false, output);
      assertStringIncludes(output, "notebook type check failed (2 notebooks checked)");
    }
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("notebookModule: imports written without spaces, with a space inside import( ), or to a path with a space resolve too", () => {
  // Found by mutation round JK (JK22, JK23, JK26): each of these is valid TypeScript that the
  // kernel resolves from the notebook's folder; left as is, the check reports a missing module.
  const url = new URL("file:///work/notebooks/07_page.ipynb");
  const cell = [
    'import{a}from"./a.ts";\n',
    'const b = await import( "./b.ts");\n',
    'import { c } from "./my lib/c.ts";',
  ];
  const { code } = notebookModule(
    JSON.stringify({ cells: [{ cell_type: "code", source: cell }] }),
    url,
  );
  assertEquals(code.split("\n").slice(2, 5), [
    'import{a}from"file:///work/notebooks/a.ts";',
    'const b = await import( "file:///work/notebooks/b.ts");',
    'import { c } from "file:///work/notebooks/my%20lib/c.ts";',
  ]);
});
