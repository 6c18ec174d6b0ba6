/**
 * A check of `ensureDenoKernelspec` (lib/notebook_runner/kernelspec.ts) that a hand mutation round
 * (session 52, mu52c) found no test pinned: a left-out `projectRoot` is refused with a
 * `SettingError` naming it, before anything is written (let through, the spec went to a folder
 * named "undefined" under the working directory).
 */
import { assertEquals, assertRejects } from "@std/assert";
import { ensureDenoKernelspec } from "../../lib/notebook_runner/kernelspec.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("kernelspec: a projectRoot left out or undefined is refused, naming it", async () => {
  for (const config of [{}, { projectRoot: undefined }]) {
    const error = await assertRejects(
      () => ensureDenoKernelspec({ ...config, denoPath: "/opt/deno" } as never),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value, error.allowed], [
      "KernelspecConfig.projectRoot",
      undefined,
      "a text",
    ]);
  }
});
