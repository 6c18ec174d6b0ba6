/**
 * The command line of `deno task notebooks` (scripts/run_notebooks.ts), run with the task's own
 * flags from deno.json: `--help` lists every option; a bad option or value, an option the mode
 * does not use, a notebook path that is missing, not a file or not an nbformat 4 notebook, and an
 * --out that cannot be written are one line naming it and exit status 2, before anything runs (a
 * broken notebook of notebooks/ itself, when none is named: exit status 1); `--check-clean` reads
 * notebooks only.
 * No notebook is executed: the runner's Python is pointed at a program outside the task's
 * --allow-run, so that a check that let a run through ends at "cannot run" (itself checked: the
 * line names --allow-run) rather than start a kernel. run_notebooks_run_test.ts runs notebooks.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { canMakeImmutable, setImmutable } from "../_immutable.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const fixtures = "tests/notebook_runner/fixtures";
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Runs the notebooks task's command line (deno.json: its flags and script) with `args`. */
async function notebooks(...args: string[]) {
  return await notebooksAs(undefined, ...args);
}

/** {@linkcode notebooks} with `script` (run with the task's flags) in place of the task's script. */
async function notebooksAs(script: string | undefined, ...args: string[]) {
  const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks.notebooks;
  const words = task.split(/\s+/);
  const command = words.slice(words.indexOf("run"));
  if (script !== undefined) command[command.length - 1] = script;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...command, ...args],
    cwd: root,
    env: { DEMURE_JUPYTER_PYTHON: "/nonexistent/python3" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Asserts exit status 2, nothing on stdout (nothing ran) and exactly one line on stderr. */
async function assertRefused(args: string[], line: string | RegExp): Promise<void> {
  const { code, stdout, stderr } = await notebooks(...args);
  const shown = JSON.stringify(args);
  if (typeof line === "string") assertEquals(stderr, `run_notebooks: ${line}\n`, shown);
  else assertMatch(stderr, line, shown);
  assertEquals(stderr.trimEnd().split("\n").length, 1, `one line: ${shown}: ${stderr}`);
  assertEquals([code, stdout], [2, ""], shown);
}

Deno.test("notebooks --help and -h list every option and exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await notebooks(flag);
    assertEquals([code, stderr], [0, ""], flag);
    assert(stdout.startsWith("Usage: deno task notebooks [options] [NOTEBOOK.ipynb ...]\n"));
    for (
      const option of [
        "--quick",
        "--no-html",
        "--no-input",
        "<name>.report.html",
        "--out DIR",
        "--quiet-ms N",
        "from 0 to 600000",
        "--progress-seconds N",
        "from 1 to 3600 (default 60)",
        "--install-kernel",
        "--check-clean",
        "-h, --help",
      ]
    ) {
      assertStringIncludes(stdout, option);
    }
  }
});

Deno.test("notebooks: a bad option or value is one line naming it and the range, exit 2", async () => {
  const range = "must be an integer from 0 to 600000 (milliseconds); see --help";
  await assertRefused(
    ["--bogus"],
    "Unknown option '--bogus' (options: --quick, --no-html, --no-input, --install-kernel, " +
      "--check-clean, --out, --quiet-ms, --progress-seconds, --help/-h); see --help",
  );
  await assertRefused(["--quiet-ms"], "Option '--quiet-ms <value>' argument missing; see --help");
  await assertRefused(["--out"], "Option '--out <value>' argument missing; see --help");
  for (const value of ["abc", "1e308", "600001", "-5", "1.5", "0x10", " 7"]) {
    await assertRefused([`--quiet-ms=${value}`], `--quiet-ms ${JSON.stringify(value)}: ${range}`);
  }
  await assertRefused(["--quiet-ms", "1e308"], `--quiet-ms "1e308": ${range}`);
  await assertRefused(["--quiet-ms="], "--quiet-ms: an empty value; see --help");
  const seconds = "must be an integer from 1 to 3600 (seconds); see --help";
  for (const value of ["0", "3601", "abc", "1.5", "-5", "1e3"]) {
    await assertRefused(
      [`--progress-seconds=${value}`],
      `--progress-seconds ${JSON.stringify(value)}: ${seconds}`,
    );
  }
  await assertRefused(["--out="], "--out: an empty value; see --help");
  await assertRefused(["--out", "a", "--out", "b"], "--out given twice: give it once; see --help");
  await assertRefused(
    ["--out", "/tmp/elsewhere"],
    "--out /tmp/elsewhere: outside the task's --allow-write (deno.json: ./build/notebooks; add " +
      "the folder: docs/permissions.md); see --help",
  );
});

Deno.test("notebooks: an option the mode does not use is refused, not ignored", async () => {
  await assertRefused(
    ["--install-kernel", "--quick"],
    "--install-kernel takes no --quick; see --help",
  );
  await assertRefused(
    ["--install-kernel", "--check-clean", `${fixtures}/outputs.ipynb`],
    `--install-kernel takes no --check-clean, notebook (${fixtures}/outputs.ipynb); see --help`,
  );
  await assertRefused(
    ["--check-clean", "--quiet-ms=5", "--no-html", "--out=build/notebooks", "--progress-seconds=5"],
    "--check-clean takes no --no-html, --out, --quiet-ms, --progress-seconds (it runs nothing); " +
      "see --help",
  );
  await assertRefused(
    ["--check-clean", "--no-input"],
    "--check-clean takes no --no-input (it runs nothing); see --help",
  );
  await assertRefused(
    ["--install-kernel", "--no-input"],
    "--install-kernel takes no --no-input; see --help",
  );
  await assertRefused(
    ["--no-html", "--no-input"],
    "--no-input renders a page and --no-html renders none: give one of them; see --help",
  );
});

Deno.test("notebooks: both option forms are read; notebooks are checked before anything runs", async () => {
  // The values pass (the `=` form was refused as an unknown option); the missing notebook stops.
  for (
    const args of [
      ["--quiet-ms=5", "--out=build/notebooks/cli-test", "--no-html", "--quick"],
      ["--quiet-ms", "600000", "--out", "build/notebooks/cli-test"],
      ["--quiet-ms", "0"],
      ["--progress-seconds", "1"],
      ["--progress-seconds=3600"],
    ]
  ) {
    await assertRefused([...args, "missing.ipynb"], "missing.ipynb: no such file");
  }
  const dir = `build/notebooks/cli-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}`, { recursive: true });
  try {
    Deno.copyFileSync(`${root}/${fixtures}/outputs.ipynb`, `${root}/${dir}/outputs.ipynb`);
    await assertRefused(
      [`${fixtures}/outputs.ipynb`, `${dir}/outputs.ipynb`],
      `${fixtures}/outputs.ipynb and ${dir}/outputs.ipynb would both write ` +
        `${root}/build/notebooks/outputs.ipynb; see --help`,
    );
    // With --no-input, outputs.ipynb's page without code is outputs.report.ipynb's page.
    Deno.copyFileSync(`${root}/${fixtures}/outputs.ipynb`, `${root}/${dir}/outputs.report.ipynb`);
    await assertRefused(
      ["--no-input", `${fixtures}/outputs.ipynb`, `${dir}/outputs.report.ipynb`],
      `${fixtures}/outputs.ipynb and ${dir}/outputs.report.ipynb would both write ` +
        `${root}/build/notebooks/outputs.report.html; see --help`,
    );
    await assertRefused(
      ["--out", dir, `${dir}/outputs.ipynb`],
      `--out ${dir}: ${dir}/outputs.ipynb would overwrite its source; see --help`,
    );
    // The same folder by another spelling is the same file.
    await assertRefused(
      ["--out", `./${dir}`, `${dir}/outputs.ipynb`],
      `--out ./${dir}: ./${dir}/outputs.ipynb would overwrite its source; see --help`,
    );
    // Only the name's last ".ipynb" is dropped: v.ipynb.copy.ipynb's executed copy is itself.
    Deno.copyFileSync(`${root}/${fixtures}/outputs.ipynb`, `${root}/${dir}/v.ipynb.copy.ipynb`);
    await assertRefused(
      ["--out", dir, `${dir}/v.ipynb.copy.ipynb`],
      `--out ${dir}: ${dir}/v.ipynb.copy.ipynb would overwrite its source; see --help`,
    );
  } finally {
    removeMade();
  }
});

Deno.test("notebooks --check-clean: a path missing, not a file, not a notebook or outside the reads is one line, exit 2", async () => {
  const dir = `build/run-notebooks-cli-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}`, { recursive: true });
  try {
    Deno.writeTextFileSync(`${root}/${dir}/list.ipynb`, '{"cells": 3}');
    Deno.writeTextFileSync(`${root}/${dir}/cells.ipynb`, '{"cells": [{"source": []}]}');
    const notNotebook = "not a notebook (no list of cells with a cell_type each)";
    await assertRefused(["--check-clean", "nonexist.ipynb"], "nonexist.ipynb: no such file");
    await assertRefused(["--check-clean", dir], `${dir}: not a file`);
    await assertRefused(
      ["--check-clean", "README.md"],
      /^run_notebooks: README\.md: not a notebook \(not JSON: .*\)\n$/,
    );
    await assertRefused(
      ["--check-clean", `${dir}/list.ipynb`],
      `${dir}/list.ipynb: ${notNotebook}`,
    );
    await assertRefused(
      ["--check-clean", `${dir}/cells.ipynb`],
      `${dir}/cells.ipynb: ${notNotebook}`,
    );
    await assertRefused(
      ["--check-clean", "/tmp/elsewhere.ipynb"],
      "/tmp/elsewhere.ipynb: outside the task's --allow-read (add its folder: docs/permissions.md)",
    );
    const clean = `${fixtures}/outputs.ipynb`;
    await assertRefused(["--check-clean", clean, clean], `${clean}: named twice`);

    // What it is for still works: a clean notebook passes, one with outputs fails (exit 1).
    const passed = await notebooks("--check-clean", clean);
    assertEquals([passed.code, passed.stdout, passed.stderr], [0, "1 clean, 0 with outputs\n", ""]);
    const notebook = JSON.parse(Deno.readTextFileSync(`${root}/${clean}`));
    notebook.cells[1].execution_count = 1;
    notebook.cells[3].execution_count = 2;
    Deno.writeTextFileSync(`${root}/${dir}/dirty.ipynb`, JSON.stringify(notebook));
    const dirty = await notebooks("--check-clean", `${dir}/dirty.ipynb`);
    assertEquals([dirty.code, dirty.stdout], [1, "0 clean, 1 with outputs\n"]);
    // Every dirty cell is named, by its index in the notebook.
    assertStringIncludes(dirty.stderr, `${dir}/dirty.ipynb: cells 1, 3 carry outputs`);
    notebook.cells[3].execution_count = null;
    // One output without an execution count is dirty too.
    notebook.cells[1].execution_count = null;
    notebook.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: ["1\n"] }];
    Deno.writeTextFileSync(`${root}/${dir}/output.ipynb`, JSON.stringify(notebook));
    const output = await notebooks("--check-clean", `${dir}/output.ipynb`);
    assertEquals([output.code, output.stdout], [1, "0 clean, 1 with outputs\n"]);
    assertStringIncludes(output.stderr, `${dir}/output.ipynb: cells 1 carry outputs`);
    // A code cell with neither key (as a hand-written notebook may have it) carries nothing.
    delete notebook.cells[1].execution_count;
    delete notebook.cells[1].outputs;
    Deno.writeTextFileSync(`${root}/${dir}/bare.ipynb`, JSON.stringify(notebook));
    const bare = await notebooks("--check-clean", `${dir}/bare.ipynb`);
    assertEquals([bare.code, bare.stdout, bare.stderr], [0, "1 clean, 0 with outputs\n", ""]);
  } finally {
    removeMade();
  }
});

Deno.test("notebooks: a broken notebook of notebooks/ itself (none named) is one line naming it, exit 1", async () => {
  // Exit 2 is for what the command line named; the folder's own notebooks are the project's.
  const { code, stdout, stderr } = await notebooksAs(
    "tests/notebook_runner/_listed_missing_notebook.ts",
    "--check-clean",
  );
  assertEquals([code, stdout], [1, ""], stderr);
  assertEquals(stderr, `run_notebooks: ${root}/notebooks/zz_missing.ipynb: no such file\n`);
});

Deno.test("notebooks: a notebook that is not nbformat 4 is one line naming it, exit 2", async () => {
  const dir = `build/run-notebooks-cli-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}`, { recursive: true });
  try {
    // Without "nbformat", nbformat reads the file as version 1 and drops the cell's code: the run
    // executed nothing and reported ok.
    const cells = [{ cell_type: "code", source: "1 + 1" }];
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["none", { cells }, "no nbformat"],
      ["three", { cells, nbformat: 3 }, "nbformat 3"],
      ["text", { cells, nbformat: "4" }, 'nbformat "4"'],
    ];
    for (const [name, notebook, found] of cases) {
      const path = `${dir}/${name}.ipynb`;
      Deno.writeTextFileSync(`${root}/${path}`, JSON.stringify(notebook));
      const line = `${path}: not a notebook (nbformat 4 expected, found ${found})`;
      await assertRefused(["--no-html", path], line);
      await assertRefused(["--check-clean", path], line);
    }
  } finally {
    removeMade();
  }
});

Deno.test("notebooks: a Python outside the task's --allow-run is named as such, not as missing", async () => {
  const out = `build/notebooks/cli-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${out}`);
  try {
    const { code, stdout, stderr } = await notebooks("--out", out, `${fixtures}/outputs.ipynb`);
    assertEquals(code, 1, stderr);
    assertEquals(
      stderr,
      "cannot run /nonexistent/python3: outside the task's --allow-run (deno run the script with " +
        "the task's flags plus --allow-run=/nonexistent/python3: docs/permissions.md)\n",
    );
    assert(!stdout.includes("running "), stdout);
    // The --out folder was found writable; the probe file and the folder made for it are gone (a
    // refused run leaves no empty --out: run_notebooks_half_written_test.ts).
    assertEquals(pathExists(`${root}/${out}`), false);
  } finally {
    removeMade();
  }
});

Deno.test({
  name: "notebooks: an --out that cannot be written is one line naming it, exit 2, before running",
  // chattr +i makes the folder unwritable even to root (the tests may run as root).
  ignore: !canMakeImmutable(`${root}/build/notebooks`),
  async fn() {
    const out = `build/notebooks/cli-test-${crypto.randomUUID().slice(0, 8)}`;
    // Removes it and, if empty, the build/ folders above it that it made.
    const removeMade = removalOfMade(`${root}/${out}`);
    Deno.mkdirSync(`${root}/${out}`, { recursive: true });
    try {
      setImmutable(`${root}/${out}`, true);
      // The folder itself, and one that would have to be made inside it.
      for (const dir of [out, `${out}/inner`]) {
        await assertRefused(
          ["--out", dir, `${fixtures}/outputs.ipynb`],
          new RegExp(
            `^run_notebooks: --out ${dir}: not writable \\([^\\n]*(Operation not permitted|` +
              "Permission denied)[^\\n]*\\); see --help\\n$",
          ),
        );
      }
    } finally {
      setImmutable(`${root}/${out}`, false);
      removeMade();
    }
  },
});

Deno.test("notebooks: a bad DEMURE_QUICK or DEMURE_RERUN is one line before any kernel starts; --quick sets its own", async () => {
  // A folder of its own: the runner probes its --out (default build/notebooks), making it for a
  // moment, before it reads the variables.
  const out = `build/notebooks/cli-test-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  try {
    const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
      tasks: Record<string, string>;
    }).tasks.notebooks;
    const words = task.split(/\s+/);
    const run = async (env: Record<string, string>, ...args: string[]) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: [...words.slice(words.indexOf("run")), "--out", out, ...args],
        cwd: root,
        env: { DEMURE_JUPYTER_PYTHON: "/nonexistent/python3", ...env },
        stdin: "null",
      }).output();
      return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
    };
    const fixture = `${fixtures}/outputs.ipynb`;
    // It started a kernel per notebook and failed each at its first cell that read the variable.
    for (const [name, value] of [["DEMURE_QUICK", "yes"], ["DEMURE_RERUN", "TRUE"]]) {
      const { code, stdout, stderr } = await run({ [name]: value }, fixture);
      assertEquals([code, stdout], [2, ""], `${name}=${value}`);
      assertEquals(
        stderr,
        `run_notebooks: ${name}="${value}": must be 1 or true (on), 0 or false (off) (read by ` +
          "every notebook's kernel)\n",
      );
    }
    // --quick gives the kernels DEMURE_QUICK=1 whatever this process holds: the run goes on to the
    // runner's Python (outside the task's --allow-run here), not to the variable's line.
    const quick = await run({ DEMURE_QUICK: "yes" }, "--quick", fixture);
    assertStringIncludes(quick.stderr, "cannot run /nonexistent/python3");
  } finally {
    removeMade();
  }
});
