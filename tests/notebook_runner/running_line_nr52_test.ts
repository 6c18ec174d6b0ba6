/**
 * A cell that runs long is not silent (session 52, nr52): the runner prints a line every
 * `progressSeconds` while a cell runs, with the last line of text the cell showed (the Python side
 * is checked with a fake kernel and a fake clock in running_line_nr52_check.py); executeNotebook
 * hands those lines to `onRunning`, parsed, and passes the interval on; the interval is a setting
 * with a range; `deno task notebooks` prints each as one line naming the notebook.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  type CellRunning,
  DEFAULT_PROGRESS_SECONDS,
  executeNotebook,
  jupyterProblem,
  PROGRESS_SECONDS_RANGE,
} from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { runningLine } from "../../scripts/run_notebooks.ts";
import { withStandInPython } from "./_stand_in_python.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot });
if (problem !== null) console.warn(`running-line Python checks skipped: ${problem}`);

Deno.test({
  name:
    "runner: a slow cell prints a line each interval, with its place and last text (fake clock)",
  ignore: problem !== null,
  async fn() {
    const python = Deno.env.get("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
    const output = await new Deno.Command(python, {
      args: [`${projectRoot}/tests/notebook_runner/running_line_nr52_check.py`, "-v"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    assert(output.code === 0, text);
    assert(/Ran 5 tests/.test(text), text);
  },
});

Deno.test("executeNotebook: the runner's running lines reach onRunning, parsed; others stay message", async () => {
  const lines = [
    'echo "cell 4 running for 60 s (2/7)"',
    'echo "cell 4 running for 120 s (2/7): epoch 3/20 (cell 1 of 5): loss 0.51"',
    'echo "cell 4 running for 1.5 s (2/7)"',
    'echo "xcell 4 running for 60 s (2/7)"',
    'echo "cell 4 done in 130.2 s (2/7)"',
  ];
  await withStandInPython(lines, async (root, python) => {
    const running: CellRunning[] = [];
    const done: number[] = [];
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python }, {
      onRunning: (cell) => running.push(cell),
      onCell: (cell) => done.push(cell.index),
    });
    assertEquals(running, [
      { index: 4, position: 2, count: 7, seconds: 60 },
      {
        index: 4,
        position: 2,
        count: 7,
        seconds: 120,
        lastLine: "epoch 3/20 (cell 1 of 5): loss 0.51",
      },
    ]);
    assertEquals(done, [4]);
    // Not the runner's line: kernel output, kept in the message.
    assertEquals(
      result.message,
      "cell 4 running for 1.5 s (2/7)\nxcell 4 running for 60 s (2/7)",
    );
  });
});

Deno.test("executeNotebook: the interval reaches the runner, the default when not given", async () => {
  await withStandInPython(
    ['printf "%s\\n" "$@" > "$(dirname "$0")/args"'],
    async (root, python) => {
      const argsOf = () => Deno.readTextFileSync(`${root}/args`).trimEnd().split("\n").slice(-2);
      await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python });
      assertEquals(argsOf(), ["--progress-seconds", String(DEFAULT_PROGRESS_SECONDS)]);
      assertEquals(DEFAULT_PROGRESS_SECONDS, 60);
      const config = { projectRoot: root, python, progressSeconds: 3600 };
      await executeNotebook("in.ipynb", "out.ipynb", config);
      assertEquals(argsOf(), ["--progress-seconds", "3600"]);
    },
  );
});

Deno.test("NotebookRunnerConfig.progressSeconds: outside 1 to 3600 seconds is a SettingError naming it", async () => {
  assertEquals({ ...PROGRESS_SECONDS_RANGE }, { min: 1, max: 3600 });
  for (const progressSeconds of [0, 0.5, 3601, -60, NaN, Infinity, "60", null]) {
    const config = { projectRoot, python: "/nonexistent/python3", progressSeconds } as never;
    const error = await assertRejects(
      () => executeNotebook("in.ipynb", "out.ipynb", config),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], [
      "NotebookRunnerConfig.progressSeconds",
      progressSeconds,
    ]);
    assertEquals(error.allowed, "a finite number >= 1 and <= 3600");
  }
});

Deno.test("ExecuteOptions.onRunning: null is refused before the runner starts", async () => {
  await withStandInPython(['echo "cell 1 running for 60 s (1/1)"'], async (root, python) => {
    const error = await assertRejects(
      () =>
        executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python }, {
          onRunning: null as never,
        }),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], ["ExecuteOptions.onRunning", null]);
  });
});

Deno.test("notebooks: a running cell's line names the notebook, cell, place, seconds and last text", () => {
  const cell = { index: 4, position: 2, count: 7, seconds: 120 };
  assertEquals(runningLine("07_why", cell), "  07_why: cell 4 running for 120 s (2/7)");
  assertEquals(
    runningLine("07_why", { ...cell, lastLine: "epoch 3/20 loss 0.51" }),
    "  07_why: cell 4 running for 120 s (2/7): epoch 3/20 loss 0.51",
  );
});
