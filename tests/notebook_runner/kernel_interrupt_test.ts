/**
 * Jupyter's Interrupt stops a training cell on the project's Deno kernel without killing the
 * kernel (lib/util/interrupt.ts): driven end to end by kernel_interrupt_check.py through
 * jupyter_client, as the notebook page does it.
 */
import { assert, assertStringIncludes } from "@std/assert";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import { ensureDenoKernelspec } from "../../lib/notebook_runner/kernelspec.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot });
if (problem) console.warn(`kernel interrupt test skipped: ${problem}`);

Deno.test({
  name: "kernel: Interrupt stops training, keeps the kernel, its variables and tfjs usable",
  ignore: problem !== null,
  async fn() {
    // The kernelspec in a temporary folder, not the project's .jupyter: the test wrote that
    // folder into the checkout (the kernel still runs in the project, cwd below).
    const specRoot = await Deno.makeTempDir({ prefix: "kernel-interrupt-" });
    try {
      const spec = await ensureDenoKernelspec({ projectRoot: specRoot });
      const python = Deno.env.get("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
      const output = await new Deno.Command(python, {
        args: [`${projectRoot}/tests/notebook_runner/kernel_interrupt_check.py`, projectRoot],
        env: { JUPYTER_PATH: spec.jupyterPath },
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
      }).output();
      const decoder = new TextDecoder();
      const text = decoder.decode(output.stdout) + decoder.decode(output.stderr);
      assert(output.code === 0, `kernel_interrupt_check.py failed:\n${text}`);
      assertStringIncludes(text, "ok: a new training runs to its end after an idle interrupt");
      assertStringIncludes(text, "ok: a second unanswered interrupt exits the kernel with 130");
    } finally {
      await Deno.remove(specRoot, { recursive: true });
    }
  },
});
