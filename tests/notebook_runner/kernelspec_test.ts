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

Deno.test("kernelspec: what it returns names the spec it wrote or kept, for another kernel name too", async () => {
  // Found by mutation round OD (OD27, OD28): lab_server passes the returned kernelName to Jupyter,
  // and only `changed` was looked at when the spec was kept. Jupyter takes capitals (OD40).
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const config = { projectRoot: root, denoPath: "/opt/deno", kernelName: "Demure-1.x" };
    const expected = {
      kernelName: "Demure-1.x",
      jupyterPath: `${root}/.jupyter`,
      kernelJsonPath: `${root}/.jupyter/kernels/Demure-1.x/kernel.json`,
    };
    assertEquals(await ensureDenoKernelspec(config), { ...expected, changed: true });
    assertEquals(await ensureDenoKernelspec(config), { ...expected, changed: false });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kernelspec: a kernel.json that differs only in white space is rewritten as written", async () => {
  // Found by mutation round OD (OD29): "identical" is the exact text, so the file is what a run
  // writes whatever was there.
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const first = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" });
    const text = await Deno.readTextFile(first.kernelJsonPath);
    // As an editor that drops the last newline saves it.
    await Deno.writeTextFile(first.kernelJsonPath, text.trimEnd());
    const again = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" });
    assertEquals(again.changed, true);
    assertEquals(await Deno.readTextFile(first.kernelJsonPath), text);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kernelspec: a kernel name Jupyter would not take is refused, naming it, and nothing is written", async () => {
  // Found by mutation round OD (OD30): an empty name wrote kernels/kernel.json, where Jupyter
  // finds no kernel; a name with "/" or ".." wrote outside kernels/.
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    for (const kernelName of ["", "a/b", "..", ".", "../deno", "deno kernel"]) {
      const error = await assertRejects(() =>
        ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno", kernelName })
      );
      assertStringIncludes(
        error.message,
        `kernelName ${JSON.stringify(kernelName)} is no kernel name: letters, digits,`,
      );
    }
    assertEquals([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
