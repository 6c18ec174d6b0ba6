/**
 * executeNotebook and jupyterProblem behaviour that mutation round LE found unpinned, with a
 * stand-in for Python (a bash script; no Jupyter needed): a Python that cannot be started is named
 * with the system's reason, and the runner (so the kernel) never reads this process's stdin.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import { withStandInPython } from "./_stand_in_python.ts";

Deno.test("jupyterProblem: a Python that cannot be started is named with the system's reason and what to install", async () => {
  // Found by mutation round LE (LE23): the reason ("No such file or directory") was not pinned.
  const root = Deno.makeTempDirSync({ prefix: "runner-le-gaps-" });
  try {
    const python = `${root}/no-such-python3`;
    const problem = await jupyterProblem({ projectRoot: root, python }) ?? "";
    assert(problem.startsWith(`cannot run ${python} (`), problem);
    assertStringIncludes(problem, "No such file or directory");
    assert(
      problem.endsWith(
        "); install Debian's python3 and jupyter-nbconvert jupyter-client python3-nbclient " +
          "python3-ipykernel",
      ),
      problem,
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("executeNotebook: the runner's stdin is /dev/null, never the caller's (a kernel reading it would wait for ever)", async () => {
  // Found by mutation round LE (LE28). In a process of its own whose stdin is a pipe it never
  // closes: an inherited stdin shows as that pipe.
  await withStandInPython(
    ['readlink "/proc/$$/fd/0" > "$(dirname "$0")/stdin"', "exit 0"],
    async (root, python) => {
      const module = new URL("../../lib/notebook_runner/execute_notebook.ts", import.meta.url).href;
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          `import { executeNotebook } from "${module}";\n` +
          `const r = await executeNotebook("in.ipynb", "out.ipynb", ${
            JSON.stringify({ projectRoot: root, python })
          });\nif (!r.ok) throw new Error(r.message);`,
        ],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = await child.output();
      await child.stdin.close().catch(() => {});
      assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
      assertEquals(Deno.readTextFileSync(`${root}/stdin`).trim(), "/dev/null");
    },
  );
});
