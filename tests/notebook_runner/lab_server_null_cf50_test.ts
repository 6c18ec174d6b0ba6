/**
 * `LabServerConfig` fills its defaults by the rule of every configuration object
 * (docs/configuration.md): a setting left out or given as `undefined` takes its default, and `null`
 * is a value, refused with a `SettingError` naming the setting, the value and what is allowed,
 * before anything starts. A null `portRange`, `token`, `python` or `logFile` ran with the default
 * range, a random token, the default Python and the terminal, silently.
 */
import { assertEquals, assertRejects } from "@std/assert";
import {
  DEFAULT_LAB_PORTS,
  DEFAULT_LAB_SERVER_CONFIG,
  type LabServerConfig,
  startLabServer,
} from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { freePort } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("LabServerConfig: null is refused for every setting with a default, before anything starts", async () => {
  // A Python that cannot run: a null let through is that error ("cannot run ..."), and the signal,
  // aborted already, stops any start that got further: no server starts whatever the code does.
  const python = "/nonexistent/python3";
  const cases: [keyof LabServerConfig, string][] = [
    ["portRange", "{ first, count }"],
    ["startTimeoutSeconds", "a finite number > 0"],
    ["token", "a string"],
    ["python", "a string"],
    ["logFile", "a string"],
    ["port", "an integer >= 1 and <= 65535"],
  ];
  for (const [field, allowed] of cases) {
    const config = {
      projectRoot,
      python,
      port: freePort(),
      signal: AbortSignal.abort(),
      [field]: null,
    } as unknown as LabServerConfig;
    const error = await assertRejects(
      () => startLabServer(config),
      SettingError,
      `LabServerConfig.${field} is null; allowed: ${allowed}`,
    ) as SettingError;
    assertEquals(error.setting, `LabServerConfig.${field}`);
    assertEquals(error.value, null);
  }
});

Deno.test("LabServerConfig: a token, Python or log file that is not a string is refused", async () => {
  for (const field of ["token", "python", "logFile"] as const) {
    for (const value of [42, ["a"], {}]) {
      const config = {
        projectRoot,
        python: "/nonexistent/python3",
        signal: AbortSignal.abort(),
        [field]: value,
      } as unknown as LabServerConfig;
      const error = await assertRejects(() => startLabServer(config), SettingError) as SettingError;
      assertEquals([error.setting, error.value], [`LabServerConfig.${field}`, value]);
    }
  }
});

Deno.test("LabServerConfig: undefined is the default; DEFAULT_LAB_SERVER_CONFIG holds the documented ones", async () => {
  assertEquals(DEFAULT_LAB_SERVER_CONFIG, {
    portRange: DEFAULT_LAB_PORTS,
    startTimeoutSeconds: 60,
  });
  // Every setting given as undefined passes the checks: the start goes on to the Python.
  await assertRejects(
    () =>
      startLabServer({
        projectRoot,
        python: "/nonexistent/python3",
        portRange: undefined,
        startTimeoutSeconds: undefined,
        token: undefined,
        logFile: undefined,
        port: undefined,
      }),
    Error,
    "cannot run /nonexistent/python3",
  );
});

Deno.test("LabServerConfig: an empty token (no authentication) or one a URL cannot carry is refused", async () => {
  for (const token of ["", "a b", "x&y", "tok/en", "é"]) {
    const config: LabServerConfig = {
      projectRoot,
      python: "/nonexistent/python3",
      signal: AbortSignal.abort(),
      token,
    };
    const error = await assertRejects(() => startLabServer(config), SettingError) as SettingError;
    assertEquals([error.setting, error.value], ["LabServerConfig.token", token]);
  }
  // A token of the allowed characters passes the checks: the start goes on to the Python.
  await assertRejects(
    () => startLabServer({ projectRoot, python: "/nonexistent/python3", token: "My.token_1~-x" }),
    Error,
    "cannot run /nonexistent/python3",
  );
});
