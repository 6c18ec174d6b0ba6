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
  jupyterProblem,
  renderNotebookHtml,
} from "../../lib/notebook_runner/execute_notebook.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { withStandInPython } from "./_stand_in_python.ts";

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
      "--progress-seconds",
      "60",
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

Deno.test("executeNotebook: only a whole progress line is progress; kernel output like one is message", async () => {
  const lines = [
    'echo "xcell 1 done in 0.5 s (1/3)"; echo "cell 2 done in 1.0 s (1/3) and more"',
    'echo "cell 3 done in 0.1 s (2/3)"',
  ];
  await withStandInPython(lines, async (root, python) => {
    const cells: CellProgress[] = [];
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python }, {
      onCell: (cell) => cells.push(cell),
    });
    assertEquals(cells, [{ index: 3, position: 2, count: 3, seconds: 0.1 }]);
    assertEquals(
      result.message,
      "xcell 1 done in 0.5 s (1/3)\ncell 2 done in 1.0 s (1/3) and more",
    );
  });
});

Deno.test("executeNotebook: a quiet time and cell timeout given reach the runner; a quiet time of 0 is allowed", async () => {
  await withStandInPython(
    ['printf "%s\\n" "$@" > "$(dirname "$0")/args"'],
    async (root, python) => {
      const config = {
        projectRoot: root,
        python,
        quietMs: 0,
        cellTimeoutSeconds: 7.5,
        progressSeconds: 5,
      };
      assertEquals((await executeNotebook("in.ipynb", "out.ipynb", config)).ok, true);
      assertEquals(Deno.readTextFileSync(`${root}/args`).trimEnd().split("\n").slice(4), [
        "--quiet-ms",
        "0",
        "--cell-timeout",
        "7.5",
        "--progress-seconds",
        "5",
      ]);
    },
  );
});

Deno.test("executeNotebook: any exit status but 0 fails the run", async () => {
  await withStandInPython(["echo failed; exit 2"], async (root, python) => {
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python });
    assertEquals(result, { ok: false, exitCode: 2, message: "failed" });
  });
});

Deno.test("executeNotebook: UTF-8 split between reads is decoded whole; a cut-off last character is shown", async () => {
  // The sleep lets the two halves of "é" arrive in two reads (when they come in one, the test
  // passes as well); a runner killed mid-character leaves a replacement character, not nothing.
  const lines = ["printf 'caf\\xc3'; sleep 0.2; printf '\\xa9\\n'; printf 'end \\xc3'"];
  await withStandInPython(lines, async (root, python) => {
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python });
    assertEquals(result.message, "caf\u00e9\nend \ufffd");
  });
});

/** Bash that waits until the file `release` is in the stand-in's folder (or the folder is gone). */
const waitForRelease =
  'd="$(dirname "$0")"; while [ ! -e "$d/release" ] && [ -d "$d" ]; do sleep 0.1; done';

/** Creates `root`/release after `ms` (so that a wrong wait ends); returns how to cancel that. */
function releaseAfter(root: string, ms: number): () => void {
  const timer = setTimeout(() => Deno.writeTextFileSync(`${root}/release`, ""), ms);
  return () => clearTimeout(timer);
}

Deno.test("executeNotebook: a process that outlived the runner and holds its output does not hold the result", async () => {
  // As a kernel the runner could not shut down (SIGKILL) does: it keeps the pipes open.
  const lines = [`(${waitForRelease}) &`, "echo done"];
  await withStandInPython(lines, async (root, python) => {
    const cancel = releaseAfter(root, 30_000);
    try {
      const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python });
      assertEquals(pathExists(`${root}/release`), false, "resolved only once the holder ended");
      assertEquals(result, { ok: true, exitCode: 0, message: "done" });
    } finally {
      cancel();
      Deno.writeTextFileSync(`${root}/release`, "");
    }
  });
});

Deno.test("executeNotebook: aborting config.signal stops the runner with SIGTERM (exit status 143)", async () => {
  const lines = ['echo "cell 1 done in 0.1 s (1/2)"', waitForRelease, "exit 0"];
  await withStandInPython(lines, async (root, python) => {
    const cancel = releaseAfter(root, 30_000);
    try {
      const controller = new AbortController();
      const config = { projectRoot: root, python, signal: controller.signal };
      const result = await executeNotebook("in.ipynb", "out.ipynb", config, {
        onCell: () => controller.abort(),
      });
      assertEquals([result.ok, result.exitCode], [false, 143]);
    } finally {
      cancel();
    }
  });
});

Deno.test("jupyterProblem: none when the imports succeed; else the last line of the error, whatever the status", async () => {
  await withStandInPython(["exit 0"], async (root, python) => {
    assertEquals(await jupyterProblem({ projectRoot: root, python }), null);
  });
  for (const status of [1, 2]) {
    const lines = [
      'echo "Traceback (most recent call last):" >&2',
      `echo "ModuleNotFoundError: No module named 'nbconvert'" >&2; exit ${status}`,
    ];
    await withStandInPython(lines, async (root, python) => {
      assertEquals(
        await jupyterProblem({ projectRoot: root, python }),
        `${python} lacks Jupyter (ModuleNotFoundError: No module named 'nbconvert'); install: ` +
          "apt-get install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel",
      );
    });
  }
});
