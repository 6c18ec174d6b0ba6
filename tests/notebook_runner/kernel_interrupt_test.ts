/**
 * Jupyter's Interrupt stops a training cell on the project's Deno kernel without killing the
 * kernel (lib/util/interrupt.ts): driven end to end by kernel_interrupt_check.py through
 * jupyter_client, as the notebook page does it.
 */
import { assertStringIncludes } from "@std/assert";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import { runKernelCheck } from "./_kernel_check.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot });
if (problem) console.warn(`kernel interrupt test skipped: ${problem}`);

Deno.test({
  name: "kernel: Interrupt stops training, keeps the kernel, its variables and tfjs usable",
  ignore: problem !== null,
  async fn() {
    const text = await runKernelCheck("kernel_interrupt_check.py");
    assertStringIncludes(text, "ok: a new training runs to its end after an idle interrupt");
    assertStringIncludes(text, "ok: a second unanswered interrupt exits the kernel with 130");
  },
});
