/**
 * How executeNotebook reads the runner's output (lib/notebook_runner/execute_notebook.ts), with a
 * stand-in for Python that prints as scripts/notebook_runner.py does: each "cell N done" line
 * reaches `onCell` as it comes, every other line (the last one too, even without a newline) and
 * stderr make the message, and the exit status is the result's.
 */
import { assertEquals } from "@std/assert";
import {
  type CellProgress,
  executeNotebook,
  renderNotebookHtml,
} from "../../lib/notebook_runner/execute_notebook.ts";

/**
 * Runs `body` with a stand-in for Python, the bash script of `lines`, in a fresh project folder
 * (`root`, where the kernelspec goes); removes the folder afterwards.
 */
async function withStandInPython(
  lines: string[],
  body: (root: string, python: string) => Promise<void>,
): Promise<void> {
  const root = Deno.makeTempDirSync({ prefix: "runner-output-test-" });
  try {
    const python = `${root}/python`;
    Deno.writeTextFileSync(python, ["#!/bin/bash", ...lines].join("\n") + "\n");
    Deno.chmodSync(python, 0o755);
    await body(root, python);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

Deno.test("executeNotebook: progress lines go to onCell; the rest, unfinished last line included, is the message", async () => {
  const lines = [
    'echo "cell 1 done in 0.5 s (1/3)"; echo "kernel output"',
    'echo "cell 3 done in 12.0 s (2/3)"; echo to stderr >&2',
    "printf 'cell 4 raised Error: planted'; exit 1",
  ];
  await withStandInPython(lines, async (root, python) => {
    const cells: CellProgress[] = [];
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python }, {
      onCell: (cell) => cells.push(cell),
    });
    assertEquals(cells, [
      { index: 1, position: 1, count: 3, seconds: 0.5 },
      { index: 3, position: 2, count: 3, seconds: 12 },
    ]);
    assertEquals(result, {
      ok: false,
      exitCode: 1,
      message: "kernel output\ncell 4 raised Error: planted\nto stderr",
    });
  });
});

Deno.test("executeNotebook and renderNotebookHtml: the runner's arguments; the kernel's start notice is no message", async () => {
  const lines = [
    'printf "%s\\n" "$@" > "$(dirname "$0")/args"',
    `echo 'Warning: "deno jupyter" is unstable and might change in the future.' >&2`,
    "echo done",
  ];
  await withStandInPython(lines, async (root, python) => {
    const argsOf = () => Deno.readTextFileSync(`${root}/args`).trimEnd().split("\n");
    const config = { projectRoot: root, python, kernelEnv: { DEMURE_QUICK: "1" } };
    const executed = await executeNotebook("in.ipynb", "out.ipynb", config);
    assertEquals(executed, { ok: true, exitCode: 0, message: "done" });
    assertEquals(argsOf(), [
      `${root}/scripts/notebook_runner.py`,
      "execute",
      "in.ipynb",
      "out.ipynb",
      "--quiet-ms",
      "300",
      "--cell-timeout",
      "3600",
      "--env",
      "DEMURE_QUICK=1",
    ]);
    await renderNotebookHtml("out.ipynb", "out.html", config, { noInput: true });
    assertEquals(argsOf().slice(1), ["html", "out.ipynb", "out.html", "--no-input"]);
  });
});

Deno.test("executeNotebook: an inherited JUPYTER_PATH comes after the project's kernelspec", async () => {
  // In a process of its own: the environment is shared by the test modules run in parallel.
  await withStandInPython(['echo "$JUPYTER_PATH"'], async (root, python) => {
    const module = new URL("../../lib/notebook_runner/execute_notebook.ts", import.meta.url).href;
    const config = JSON.stringify({ projectRoot: root, python });
    const script = `import { executeNotebook } from ${JSON.stringify(module)};\n` +
      `console.log((await executeNotebook("in.ipynb", "out.ipynb", ${config})).message);`;
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      env: { JUPYTER_PATH: "/elsewhere/jupyter" },
      stdout: "piped",
    }).output();
    assertEquals(
      new TextDecoder().decode(run.stdout).trim(),
      `${root}/.jupyter:/elsewhere/jupyter`,
    );
  });
});
