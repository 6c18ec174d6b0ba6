import { assertEquals } from "@std/assert";
import { ensureDenoKernelspec } from "../../lib/notebook_runner/kernelspec.ts";

Deno.test("kernelspec: written once with the Deno kernel argv, then left alone", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const first = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" });
    assertEquals(first.changed, true);
    assertEquals(first.jupyterPath, `${root}/.jupyter`);
    assertEquals(first.kernelJsonPath, `${root}/.jupyter/kernels/deno/kernel.json`);
    const spec = JSON.parse(await Deno.readTextFile(first.kernelJsonPath));
    assertEquals(spec.argv, ["/opt/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
    assertEquals(spec.interrupt_mode, "signal", "Interrupt is SIGINT, which the library answers");
    const second = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" });
    assertEquals(second.changed, false);
    const moved = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/usr/bin/deno" });
    assertEquals(moved.changed, true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
