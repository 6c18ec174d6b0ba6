/**
 * What a hand mutation round (session 52, mu52c) found no test pinned in
 * lib/notebook_runner/execute_notebook.ts: the refusal of a `projectRoot` that is no text, a
 * `signal` that is no AbortSignal and a list as `kernelEnv` (each a `SettingError` naming the
 * runner's setting, before anything runs; a Python that cannot run stands in, so a value let
 * through would end in "cannot run ..."), the refusal of a null `onCell` and of a `noInput` that is
 * no boolean, and a kernel variable's value passed on untrimmed.
 */
import { assertEquals, assertRejects } from "@std/assert";
import {
  executeNotebook,
  jupyterProblem,
  type NotebookRunnerConfig,
  renderNotebookHtml,
} from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { withStandInPython } from "./_stand_in_python.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const python = "/nonexistent/python3";

Deno.test("NotebookRunnerConfig: a projectRoot that is not a text is the runner's SettingError", async () => {
  for (const root of [null, 1, ["/tmp"]]) {
    const config = { projectRoot: root, python } as unknown as NotebookRunnerConfig;
    const error = await assertRejects(() => jupyterProblem(config), SettingError) as SettingError;
    assertEquals([error.setting, error.value], ["NotebookRunnerConfig.projectRoot", root]);
    assertEquals(error.allowed, "a folder (a string)");
    // Refused by the runner's own check, not later by the kernelspec's.
    const executed = await assertRejects(
      () => executeNotebook("/nonexistent/in.ipynb", "/nonexistent/out.ipynb", config),
      SettingError,
    ) as SettingError;
    assertEquals(executed.setting, "NotebookRunnerConfig.projectRoot");
  }
});

Deno.test("NotebookRunnerConfig: a signal that is not an AbortSignal is refused, naming it", async () => {
  for (const signal of [null, {}, "SIGTERM"]) {
    const config = { projectRoot, python, signal } as unknown as NotebookRunnerConfig;
    const error = await assertRejects(() => jupyterProblem(config), SettingError) as SettingError;
    assertEquals([error.setting, error.value], ["NotebookRunnerConfig.signal", signal]);
    assertEquals(error.allowed, "an AbortSignal");
  }
});

Deno.test("NotebookRunnerConfig: a kernelEnv that is a list or a text is refused, naming it", async () => {
  for (const kernelEnv of [["DEMURE_QUICK=1"], "DEMURE_QUICK=1"]) {
    const config = { projectRoot, python, kernelEnv } as unknown as NotebookRunnerConfig;
    const error = await assertRejects(() => jupyterProblem(config), SettingError) as SettingError;
    assertEquals([error.setting, error.value], ["NotebookRunnerConfig.kernelEnv", kernelEnv]);
    assertEquals(error.allowed, "an object of variables");
  }
});

// Mutant: `${key}=${value.trim()}` in executeNotebook's --env arguments.
Deno.test("executeNotebook: each kernelEnv variable reaches the runner as written, spaces and '=' kept", async () => {
  await withStandInPython(
    ['printf "%s\\n" "$@" > "$(dirname "$0")/args"'],
    async (root, python) => {
      const kernelEnv = { PADDED: " two words ", PAIR: "a=b" };
      const config = { projectRoot: root, python, kernelEnv };
      assertEquals((await executeNotebook("in.ipynb", "out.ipynb", config)).ok, true);
      assertEquals(Deno.readTextFileSync(`${root}/args`).split("\n").slice(8, 12), [
        "--env",
        "PADDED= two words ",
        "--env",
        "PAIR=a=b",
      ]);
    },
  );
});

// Mutants: the checks of ExecuteOptions.onCell and RenderHtmlOptions.noInput left out.
Deno.test("executeNotebook and renderNotebookHtml: a null onCell or a text noInput is refused before the runner starts", async () => {
  await withStandInPython(['echo "cell 1 done in 0.5 s (1/1)"'], async (root, python) => {
    const config = { projectRoot: root, python };
    // Let through, null was read as no listener (the progress went nowhere) and "false" as true.
    const onCell = await assertRejects(
      () => executeNotebook("in.ipynb", "out.ipynb", config, { onCell: null as never }),
      SettingError,
    ) as SettingError;
    assertEquals([onCell.setting, onCell.value], ["ExecuteOptions.onCell", null]);
    assertEquals(onCell.allowed, "a function of a cell");
    const noInput = await assertRejects(
      () => renderNotebookHtml("out.ipynb", "out.html", config, { noInput: "false" as never }),
      SettingError,
    ) as SettingError;
    assertEquals([noInput.setting, noInput.value], ["RenderHtmlOptions.noInput", "false"]);
    assertEquals(noInput.allowed, "true or false");
  });
});
