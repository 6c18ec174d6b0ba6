/**
 * `LabServerConfig`'s checks of `env` and `signal` (lib/notebook_runner/lab_server.ts), which a
 * hand mutation round (session 52, mu52c) found no test pinned: dropping the refusal of a null or
 * list `env`, or of a `signal` that is no AbortSignal, changed no outcome. Each is refused with a
 * `SettingError` naming the setting, the value and what is allowed, before anything starts.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { type LabServerConfig, startLabServer } from "../../lib/notebook_runner/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The SettingError `startLabServer` rejects `config` with. */
async function refusal(config: Record<string, unknown>): Promise<SettingError> {
  return await assertRejects(
    // A Python that cannot run: a value let through fails with "cannot run ...", not a SettingError.
    () =>
      startLabServer({ projectRoot, python: "/nonexistent/python3", ...config } as LabServerConfig),
    SettingError,
  ) as SettingError;
}

Deno.test("LabServerConfig: an env that is null, a list or a text is refused, naming it", async () => {
  for (const env of [null, ["DEMURE_QUICK=1"], "DEMURE_QUICK=1"]) {
    const error = await refusal({ env, signal: AbortSignal.abort() });
    assertEquals([error.setting, error.value], ["LabServerConfig.env", env]);
    assertEquals(error.allowed, "an object of variables");
  }
});

Deno.test("LabServerConfig: a signal that is not an AbortSignal is refused, naming it", async () => {
  for (const signal of [null, {}, "SIGINT"]) {
    const error = await refusal({ signal });
    assertEquals([error.setting, error.value], ["LabServerConfig.signal", signal]);
    assertEquals(error.allowed, "an AbortSignal");
  }
});
