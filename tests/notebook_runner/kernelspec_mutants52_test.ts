/**
 * A check of `ensureDenoKernelspec` (lib/notebook_runner/kernelspec.ts) that a hand mutation round
 * (session 52, mu52c) found no test pinned: a left-out `projectRoot` is refused with a
 * `SettingError` naming it, before anything is written (let through, the spec went to a folder
 * named "undefined" under the working directory); a kernel.json that cannot be read is thrown as
 * the read's own error, not taken as missing and then failed to write.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
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

// Mutant: the read's failures other than NotFound ignored (the spec then tried to overwrite it).
Deno.test("kernelspec: a kernel.json that cannot be read is the read's own error, no write tried", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-mutants52-" });
  try {
    // A folder in the spec's place: reading it fails with "Is a directory".
    await Deno.mkdir(`${root}/.jupyter/kernels/deno/kernel.json`, { recursive: true });
    const error = await assertRejects(() =>
      ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" })
    );
    // A failed write is reported as "ensureDenoKernelspec: <path>: ..."; the read's error is not.
    assert(!error.message.startsWith("ensureDenoKernelspec:"), error.message);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
