/** Runs the Python unit checks of the runner's output routing with Debian's python3. */
import { assert } from "@std/assert";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot });
if (problem !== null) console.warn(`output collector checks skipped: ${problem}`);

Deno.test({
  name: "runner output routing: streams, late messages, display updates, clear_output, errors",
  ignore: problem !== null,
  async fn() {
    const python = Deno.env.get("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
    const output = await new Deno.Command(python, {
      args: [`${projectRoot}/tests/notebook_runner/output_collector_check.py`, "-v"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    assert(output.code === 0, text);
    assert(/Ran 6 tests/.test(text), text);
  },
});
