/**
 * `NotebookRunnerConfig`'s checks of `projectRoot` and `signal` (lib/notebook_runner/
 * execute_notebook.ts), which a hand mutation round (session 52, mu52c) found no test pinned:
 * letting a projectRoot that is no text, or a signal that is no AbortSignal, through changed no
 * outcome. Each is refused with a `SettingError` naming the runner's setting, before anything runs
 * (a Python that cannot run stands in: a value let through would end in "cannot run ...").
 */
import { assertEquals, assertRejects } from "@std/assert";
import {
  executeNotebook,
  jupyterProblem,
  type NotebookRunnerConfig,
} from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";

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
