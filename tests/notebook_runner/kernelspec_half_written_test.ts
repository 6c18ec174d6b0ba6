/**
 * ensureDenoKernelspec (lib/notebook_runner/kernelspec.ts) leaves nothing half-written: a write
 * that fails on a full disk keeps the old kernel.json whole, leaves no temporary beside it, and
 * says which path failed.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { ensureDenoKernelspec } from "../../lib/notebook_runner/kernelspec.ts";
import { projectModule } from "../_eval_in_subprocess.ts";
import { runOnFullDisk } from "../_full_disk.ts";

Deno.test("kernelspec: a full disk keeps the old kernel.json whole, leaves no temporary", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const old = await ensureDenoKernelspec({ projectRoot: root, denoPath: "/opt/deno" });
    const oldText = await Deno.readTextFile(old.kernelJsonPath);
    const run = await runOnFullDisk(
      `import { ensureDenoKernelspec } from ${
        projectModule("lib/notebook_runner/kernelspec.ts")
      };\n` +
        `try {\n` +
        `  await ensureDenoKernelspec({ projectRoot: Deno.args[0], denoPath: "/usr/bin/deno" });\n` +
        `  console.log("written");\n` +
        `} catch (error) {\n` +
        `  console.log((error as Error).message);\n` +
        `}`,
      [root],
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, `ensureDenoKernelspec: ${old.kernelJsonPath}: File too large`);
    assertEquals(await Deno.readTextFile(old.kernelJsonPath), oldText);
    // Before: kernel.json.<pid>.tmp stayed, empty.
    const names = [...Deno.readDirSync(`${root}/.jupyter/kernels/deno`)].map((e) => e.name);
    assertEquals(names, ["kernel.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kernelspec: a full disk on a first install leaves no .jupyter folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "kernelspec-test-" });
  try {
    const run = await runOnFullDisk(
      `import { ensureDenoKernelspec } from ${
        projectModule("lib/notebook_runner/kernelspec.ts")
      };\n` +
        `await ensureDenoKernelspec({ projectRoot: Deno.args[0] })` +
        `.then(() => console.log("written"), (error) => console.log(error.message));`,
      [root],
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "kernel.json: File too large");
    // Before: .jupyter/kernels/deno stayed, holding the empty temporary.
    assertEquals([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
