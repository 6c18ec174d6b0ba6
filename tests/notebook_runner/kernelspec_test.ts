import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
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

Deno.test("kernelspec: the whole spec, the running deno by default, written without a temporary left", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const spec = await ensureDenoKernelspec({ projectRoot: root, kernelName: "demure" });
    assertEquals(spec.kernelJsonPath, `${root}/.jupyter/kernels/demure/kernel.json`);
    const expected = {
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
      interrupt_mode: "signal",
    };
    assertEquals(
      await Deno.readTextFile(spec.kernelJsonPath),
      JSON.stringify(expected, null, 2) + "\n",
    );
    // Written to a temporary file then renamed: only kernel.json is there afterwards.
    const names = [...Deno.readDirSync(`${root}/.jupyter/kernels/demure`)].map((e) => e.name);
    assertEquals(names, ["kernel.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kernelspec: a kernel.json that cannot be read is the read's error, and nothing is written", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const kernelDir = `${root}/.jupyter/kernels/deno`;
    // Only a missing spec is (re)written; a folder in its place is no missing spec.
    await Deno.mkdir(`${kernelDir}/kernel.json`, { recursive: true });
    const error = await assertRejects(() =>
      ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" })
    );
    // The read's own error, which names the path (found by mutation round JK, JK18).
    assertStringIncludes(error.message, `${kernelDir}/kernel.json`);
    const names = [...Deno.readDirSync(kernelDir)].map((e) => e.name);
    assertEquals(names, ["kernel.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
