/**
 * `deno task notebooks --quiet-ms N --progress-seconds N` hands both to the run: they were parsed
 * and range-checked, but no test ran a notebook with either, so a run that silently took the
 * defaults instead passed (mutation round 54, scripts/run_notebooks.ts:191-192). Through the
 * task's own command line on the gate fixture; skipped when Jupyter is missing.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { scratchFolder } from "../_made_folders.ts";
import { denoTask } from "../_deno_task.ts";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await jupyterProblem({ projectRoot: root });
if (problem !== null) console.warn(`notebooks option tests skipped: ${problem}`);

Deno.test({
  name:
    "notebooks: --progress-seconds 1 shows a running cell each second, --quiet-ms reaches the runner",
  ignore: problem !== null,
  async fn() {
    const scratch = scratchFolder(`${root}/build/notebooks`, "options-test-");
    const dir = scratch.path;
    Deno.copyFileSync(`${root}/tests/notebook_runner/fixtures/gate.ipynb`, `${dir}/gate.ipynb`);
    // Debian's Python, which first writes down the runner's arguments.
    const python = `${dir}/python`;
    Deno.writeTextFileSync(
      python,
      '#!/bin/sh\ncase "$1" in */notebook_runner.py) ' +
        `printf '%s\\n' "$@" > '${dir}/runner_args' ;; esac\n` +
        'exec /usr/bin/python3 "$@"\n',
    );
    Deno.chmodSync(python, 0o755);
    const words = denoTask("notebooks").split(/\s+/).map((word) =>
      word.startsWith("--allow-run=") ? `${word},${python}` : word
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        ...words.slice(words.indexOf("run")),
        ...["--no-html", "--out", `${dir}/out`, "--quiet-ms", "1234", "--progress-seconds", "1"],
        `${dir}/gate.ipynb`,
      ],
      cwd: root,
      env: { DEMURE_JUPYTER_PYTHON: python },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let stdout = "";
    try {
      // Cell 2 waits (at most 20 s) for the file `gate`: made once its running line is seen. At
      // the default 60 s no such line comes before the cell gives up and the notebook fails.
      const decoder = new TextDecoder();
      for await (const chunk of child.stdout) {
        stdout += decoder.decode(chunk, { stream: true });
        if (/^ {2}gate: cell 2 running for \d+ s \(2\/3\)/m.test(stdout)) {
          Deno.writeTextFileSync(`${dir}/gate`, "");
        }
      }
      const status = await child.status;
      assertEquals(status.code, 0, `${stdout}\n${await stderr}`);
      assertStringIncludes(stdout, "ok gate: executed in ");
      // A clean run's runner said nothing besides its progress: no note follows (:536).
      assert(!stdout.includes("note:"), stdout);
      const args = Deno.readTextFileSync(`${dir}/runner_args`).split("\n");
      const after = (flag: string) => args[args.indexOf(flag) + 1];
      assert(args[1] === "execute", args.join(" "));
      assertEquals([after("--quiet-ms"), after("--progress-seconds")], ["1234", "1"]);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // it has exited
      }
      await child.status;
      await stderr;
      scratch.remove();
    }
  },
});

Deno.test({
  name: "notebooks: a notebook stopped by SIGTERM is said stopped, not FAILED",
  ignore: problem !== null,
  async fn() {
    const scratch = scratchFolder(`${root}/build/notebooks`, "stopped-test-");
    const dir = scratch.path;
    Deno.copyFileSync(`${root}/tests/notebook_runner/fixtures/gate.ipynb`, `${dir}/gate.ipynb`);
    const words = denoTask("notebooks").split(/\s+/);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        ...words.slice(words.indexOf("run")),
        ...["--no-html", "--out", `${dir}/out`, `${dir}/gate.ipynb`],
      ],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let stdout = "";
    try {
      // Cell 2 waits for a gate that is never opened: the notebook is stopped there.
      const decoder = new TextDecoder();
      let stopped = false;
      for await (const chunk of child.stdout) {
        stdout += decoder.decode(chunk, { stream: true });
        if (!stopped && /^ {2}cell 1 done in/m.test(stdout)) {
          stopped = true;
          child.kill("SIGTERM");
        }
      }
      const status = await child.status;
      const errors = await stderr;
      assertEquals(status.code, 143, `${stdout}\n${errors}`);
      assertStringIncludes(errors, "stopped by SIGTERM; the kernel was shut down");
      assertStringIncludes(errors, `run_notebooks: stopped by SIGTERM at ${dir}/gate.ipynb\n`);
      // The runner's failed result of a stopped run is no failure of the notebook (:508).
      assert(!errors.includes("FAILED"), errors);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // it has exited
      }
      await child.status;
      await stderr;
      scratch.remove();
    }
  },
});
