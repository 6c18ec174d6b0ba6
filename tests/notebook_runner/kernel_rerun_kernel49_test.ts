/**
 * The project's Deno kernel as a researcher uses it: Jupyter's Interrupt in a notebook that only
 * imported mod.ts (no `initBackend`) keeps the kernel and its variables (lib/util/interrupt.ts
 * installs its listener when loaded in a kernel), and cells run again, edited or out of order,
 * work or say why. Driven end to end by kernel_rerun_kernel49_check.py through jupyter_client.
 * Outside a kernel, importing mod.ts leaves Ctrl-C's default: the process ends on SIGINT.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import { runKernelCheck } from "./_kernel_check.ts";
import { projectModule } from "../_eval_in_subprocess.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot });
if (problem) console.warn(`kernel re-run test skipped: ${problem}`);

Deno.test({
  name:
    "kernel: Interrupt without initBackend keeps the kernel; re-run, edited and out-of-order cells work or say why",
  ignore: problem !== null,
  async fn() {
    const text = await runKernelCheck("kernel_rerun_kernel49_check.py");
    // Checks printed in order and the script stops at the first failure: these imply the rest.
    assertStringIncludes(text, "ok: Interrupt keeps the kernel; the waiting cell runs on");
    assertStringIncludes(text, "ok: the set-up cell edited to another backend and run again");
    assertStringIncludes(text, "ok: Restart & Run All: a new kernel runs the cells again");
  },
});

Deno.test("mod.ts imported outside a kernel: SIGINT still ends the process (no listener)", async () => {
  // A script or a test keeps Ctrl-C's default: the listener is installed in a kernel only. The
  // child signals itself; with a listener it would print "survived" and exit with status 0.
  const code = `await import(${projectModule("mod.ts")});
Deno.kill(Deno.pid, "SIGINT");
await new Promise((resolve) => setTimeout(resolve, 10_000));
console.log("survived");`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    cwd: projectRoot,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assertEquals(
    { signal: output.signal, survived: stdout.includes("survived") },
    { signal: "SIGINT", survived: false },
    new TextDecoder().decode(output.stderr),
  );
});
