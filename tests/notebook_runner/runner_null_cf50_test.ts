/**
 * `NotebookRunnerConfig` takes `null` as a value, refused with a `SettingError` naming the setting,
 * the value and what is allowed, as every configuration object does (docs/configuration.md): a
 * null `python` ran the default Python, and a null `kernelEnv` ran the kernels without the extra
 * environment, silently. Left out or undefined is still the default.
 */
import { assertEquals, assertRejects } from "@std/assert";
import {
  executeNotebook,
  jupyterProblem,
  type NotebookRunnerConfig,
} from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("NotebookRunnerConfig: a null python or kernelEnv is refused before anything runs", async () => {
  const refused: [NotebookRunnerConfig, string, string][] = [
    [{ projectRoot, python: null } as unknown as NotebookRunnerConfig, "python", "a string"],
    [
      {
        projectRoot,
        python: "/nonexistent/python3",
        kernelEnv: null,
      } as unknown as NotebookRunnerConfig,
      "kernelEnv",
      "an object of variables",
    ],
  ];
  for (const [config, field, allowed] of refused) {
    const error = await assertRejects(
      () => executeNotebook("/nonexistent/in.ipynb", "/nonexistent/out.ipynb", config),
      SettingError,
      `NotebookRunnerConfig.${field} is null; allowed: ${allowed}`,
    ) as SettingError;
    assertEquals([error.setting, error.value], [`NotebookRunnerConfig.${field}`, null]);
  }
  // The check of the runner's Python refuses it too (it asked the default Python).
  await assertRejects(
    () => jupyterProblem({ projectRoot, python: null } as unknown as NotebookRunnerConfig),
    SettingError,
    "NotebookRunnerConfig.python is null; allowed: a string",
  );
});

Deno.test("NotebookRunnerConfig: an undefined python is the default, not refused", async () => {
  // The Python that cannot run is named: the setting was taken, not refused.
  const problem = await jupyterProblem({ projectRoot, python: "/nonexistent/python3" });
  assertEquals(problem?.includes("/nonexistent/python3"), true);
  const byDefault = await jupyterProblem({ projectRoot, python: undefined });
  assertEquals(byDefault?.includes("/nonexistent/python3") ?? false, false);
});
