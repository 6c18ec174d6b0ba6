/**
 * `deno task notebooks` (scripts/run_notebooks.ts) running notebooks on the Deno kernel, with the
 * task's own flags from deno.json, on small fixtures copied under build/notebooks:
 * - progress: "running <name>" before the notebook and a line per cell while it still runs (the
 *   gate fixture's cell 2 waits until the test, on seeing cell 1's line, creates a file);
 * - a failed notebook leaves its partial executed copy and no page of an earlier run;
 * - SIGTERM, to the launcher or to its whole process group (as `timeout` sends it), stops the
 *   runner and its kernel: nothing the launcher started is left running, and the notebooks after
 *   the one it stopped are named as not run;
 * - `--quick` reaches the kernel as DEMURE_QUICK=1, and in the kernel the workspace finds the
 *   display API (`jupyterOrNull`).
 * Skipped when Jupyter is missing.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { scratchFolder } from "../_made_folders.ts";
import { jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import {
  descendantsOf,
  isAlive,
  type ProcessId,
  signalIfAlive,
} from "../../lib/notebook_runner/processes.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const fixtures = "tests/notebook_runner/fixtures";
const problem = await jupyterProblem({ projectRoot: root });
const ignore = problem !== null;
if (ignore) console.warn(`notebooks run tests skipped: ${problem}`);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A started `deno task notebooks`: its stdout lines so far, and its end. */
interface RunningTask {
  child: Deno.ChildProcess;
  /** The stdout lines printed so far (a line counts once it is complete). */
  lines: string[];
  /** Exit status and stderr, once it has exited (stdout read to its end). */
  finished: Promise<{ code: number; stderr: string }>;
  exited: boolean;
}

/** Starts the notebooks task's command line with `args`, under `wrapper` (e.g. `timeout`). */
function startNotebooks(args: string[], wrapper: string[] = [], python?: string): RunningTask {
  const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks.notebooks;
  // A Python of one's own (DEMURE_JUPYTER_PYTHON) is added to the task's --allow-run.
  const words = task.split(/\s+/).map((word) =>
    python !== undefined && word.startsWith("--allow-run=") ? `${word},${python}` : word
  );
  const [program, ...rest] = [
    ...wrapper,
    Deno.execPath(),
    ...words.slice(words.indexOf("run")),
    ...args,
  ];
  const child = new Deno.Command(program, {
    args: rest,
    cwd: root,
    env: python !== undefined ? { DEMURE_JUPYTER_PYTHON: python } : {},
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const readLines = async () => {
    let pending = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      lines.push(...parts);
    }
  };
  const running: RunningTask = {
    child,
    lines,
    exited: false,
    finished: Promise.all([readLines(), new Response(child.stderr).text(), child.status]).then(
      ([, stderr, status]) => {
        running.exited = true;
        return { code: status.code, stderr };
      },
    ),
  };
  return running;
}

/** The first stdout line matching `pattern`, once printed; undefined if the task exits first. */
async function lineMatching(task: RunningTask, pattern: RegExp): Promise<string | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const line = task.lines.find((candidate) => pattern.test(candidate));
    if (line !== undefined || task.exited) return line;
    await delay(50);
  }
  return undefined;
}

/** The task's exit, or a failure when it has not exited within a minute (then it is killed). */
async function exited(task: RunningTask): Promise<{ code: number; stderr: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the task did not exit within 60 s")), 60_000);
  });
  try {
    return await Promise.race([task.finished, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever of `task` and its processes is still running (a test that failed midway). */
async function killLeftovers(task: RunningTask, started: ProcessId[]): Promise<void> {
  for (const id of [...descendantsOf(task.child.pid), ...started]) signalIfAlive(id, "SIGKILL");
  if (!task.exited) task.child.kill("SIGKILL");
  await task.finished;
}

/**
 * A fresh folder under build/notebooks (inside the task's reads and writes), with fixtures, and
 * what removes it with the build/ folders above it that it made (if empty).
 */
function folderWith(copies: Record<string, string>): { dir: string; remove: () => void } {
  const scratch = scratchFolder(`${root}/build/notebooks`, "run-test-");
  const dir = scratch.path.slice(`${root}/`.length);
  Deno.mkdirSync(`${root}/${dir}/out`);
  for (const [fixture, name] of Object.entries(copies)) {
    Deno.copyFileSync(`${root}/${fixtures}/${fixture}`, `${root}/${dir}/${name}`);
  }
  return { dir, remove: scratch.remove };
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

Deno.test({
  name: "notebooks: a line before the notebook runs and one per cell while it runs",
  ignore,
  async fn() {
    const { dir, remove } = folderWith({ "gate.ipynb": "gate.ipynb" });
    const task = startNotebooks(["--no-html", "--out", `${dir}/out`, `${dir}/gate.ipynb`]);
    try {
      // Cell 2 waits for the gate: this line can only come while the notebook is still running.
      const cell1 = await lineMatching(task, /^ {2}cell 1 done in \d+\.\d s \(1\/3\)$/);
      assert(cell1 !== undefined, `no line for cell 1 while it ran: ${task.lines.join("\n")}`);
      Deno.writeTextFileSync(`${root}/${dir}/gate`, "");
      const { code, stderr } = await exited(task);
      assertEquals(code, 0, stderr);
      const lines = task.lines.filter((line) => !line.startsWith("kernelspec "));
      assertEquals(lines[0], `running gate (1/1: ${dir}/gate.ipynb)`);
      assertMatch(lines[1], /^ {2}cell 1 done in \d+\.\d s \(1\/3\)$/);
      assertMatch(lines[2], /^ {2}cell 2 done in \d+\.\d s \(2\/3\)$/);
      assertMatch(lines[3], /^ {2}cell 3 done in \d+\.\d s \(3\/3\)$/);
      assertMatch(
        lines[4],
        new RegExp(`^ok gate: executed in \\d+\\.\\d s -> ${dir}/out/gate\\.ipynb$`),
      );
      assertEquals(lines.at(-1), "1 notebooks ok, 0 failed");
    } finally {
      await killLeftovers(task, []);
      remove();
    }
  },
});

Deno.test({
  name: "notebooks: a failed notebook leaves its partial executed copy and no earlier page",
  ignore,
  async fn() {
    const { dir, remove } = folderWith({ "raises.ipynb": "page.ipynb" });
    const out = `${root}/${dir}/out`;
    // What an earlier, successful run of a notebook of this name left.
    Deno.writeTextFileSync(`${out}/page.html`, "<p>an earlier run, without the error</p>");
    Deno.writeTextFileSync(`${out}/page.report.html`, "<p>an earlier run, without code</p>");
    const task = startNotebooks(["--out", `${dir}/out`, `${dir}/page.ipynb`]);
    try {
      const { code, stderr } = await exited(task);
      assertEquals(code, 1, stderr);
      assertStringIncludes(stderr, "cell 1 raised Error: planted failure");
      assertStringIncludes(stderr, `\n  failed: ${dir}/page.ipynb\n`);
      assertEquals(task.lines.at(-1), "0 notebooks ok, 1 failed");
      assertEquals([isFile(`${out}/page.html`), isFile(`${out}/page.report.html`)], [false, false]);
      assertStringIncludes(Deno.readTextFileSync(`${out}/page.ipynb`), "planted failure");
    } finally {
      await killLeftovers(task, []);
      remove();
    }
  },
});

Deno.test({
  name: "notebooks: SIGTERM to the launcher or to its process group stops the runner and kernel",
  ignore,
  async fn() {
    const cases: Array<[string, string[]]> = [
      ["the launcher alone", []],
      // `timeout` runs its command in a process group of its own and passes SIGTERM to all of it.
      ["its process group (timeout)", ["timeout", "600"]],
    ];
    for (const [target, wrapper] of cases) {
      const { dir, remove } = folderWith({
        "gate.ipynb": "gate.ipynb",
        "outputs.ipynb": "later.ipynb",
      });
      const task = startNotebooks(
        ["--no-html", "--out", `${dir}/out`, `${dir}/gate.ipynb`, `${dir}/later.ipynb`],
        wrapper,
      );
      let started: ProcessId[] = [];
      try {
        // Cell 2 now waits for a gate that never opens: the kernel is busy.
        const cell1 = await lineMatching(task, /^ {2}cell 1 done in/);
        assert(cell1 !== undefined, `${target}: cell 1 never finished: ${task.lines.join("\n")}`);
        started = descendantsOf(task.child.pid);
        // The runner and its kernel at least (and the launcher under `timeout`).
        assert(started.length >= 2, `${target}: ${JSON.stringify(started)}`);
        Deno.kill(task.child.pid, "SIGTERM");
        const { code, stderr } = await exited(task);
        assertEquals(code, 143, `${target}: ${stderr}`);
        assertStringIncludes(stderr, "stopped by SIGTERM; the kernel was shut down", target);
        assertStringIncludes(
          stderr,
          `run_notebooks: stopped by SIGTERM at ${dir}/gate.ipynb; 1 later notebooks not run\n`,
        );
        // The launcher waited for the runner, which shut its kernel down: nothing is left.
        const deadline = Date.now() + 5_000;
        while (started.some(isAlive) && Date.now() < deadline) await delay(100);
        assertEquals(started.filter(isAlive), [], `${target}: left running`);
      } finally {
        await killLeftovers(task, started);
        remove();
      }
    }
  },
});

Deno.test({
  name: "notebooks --quick: the kernel runs with DEMURE_QUICK=1 and finds its display API",
  ignore,
  async fn() {
    const { dir, remove } = folderWith({ "kernel_env.ipynb": "kernel_env.ipynb" });
    const task = startNotebooks([
      "--quick",
      "--no-html",
      "--out",
      `${dir}/out`,
      `${dir}/kernel_env.ipynb`,
    ]);
    try {
      const { code, stderr } = await exited(task);
      assertEquals(code, 0, stderr);
      const executed = JSON.parse(Deno.readTextFileSync(`${root}/${dir}/out/kernel_env.ipynb`));
      const outputs: { text?: string[] }[] = executed.cells[1].outputs;
      assertEquals(
        outputs.map((output) => output.text?.join("")).join(""),
        "DEMURE_QUICK=1, kernel API true\n",
      );
    } finally {
      await killLeftovers(task, []);
      remove();
    }
  },
});

Deno.test({
  name:
    "notebooks --no-input: one run renders the page with code and the page without, and names both",
  ignore,
  async fn() {
    const { dir, remove } = folderWith({ "outputs.ipynb": "page.ipynb" });
    const out = `${dir}/out`;
    const task = startNotebooks(["--no-input", "--out", out, `${dir}/page.ipynb`]);
    try {
      const { code, stderr } = await exited(task);
      assertEquals(code, 0, stderr);
      assertMatch(
        task.lines.find((line) => line.startsWith("ok page: ")) ?? task.lines.join("\n"),
        new RegExp(`-> ${out}/page\\.ipynb, ${out}/page\\.html, ${out}/page\\.report\\.html$`),
      );
      // Code cells' input areas: on the page with code, not on the page for readers.
      const inputs = (page: string) =>
        Deno.readTextFileSync(`${root}/${out}/${page}`).split('class="jp-InputArea').length - 1;
      assert(inputs("page.html") > inputs("page.report.html"), `${inputs("page.report.html")}`);
    } finally {
      await killLeftovers(task, []);
      remove();
    }
  },
});

Deno.test({
  name:
    "notebooks: what a successful run's runner printed besides its progress follows its ok line as notes",
  ignore,
  async fn() {
    const { dir, remove } = folderWith({ "typecheck_ok.ipynb": "typecheck_ok.ipynb" });
    // A Python that says, as the runner does after it retried its session, lines to stderr.
    const python = `${root}/${dir}/python`;
    Deno.writeTextFileSync(
      python,
      '#!/bin/sh\ncase "$1" in */notebook_runner.py) ' +
        "printf 'retried the session\\nonce\\n' >&2 ;; esac\n" +
        'exec /usr/bin/python3 "$@"\n',
    );
    Deno.chmodSync(python, 0o755);
    const args = ["--no-html", "--out", `${dir}/out`, `${dir}/typecheck_ok.ipynb`];
    const task = startNotebooks(args, [], python);
    try {
      const { code, stderr } = await exited(task);
      assertEquals(code, 0, stderr);
      const ok = task.lines.findIndex((line) => line.startsWith("ok typecheck_ok: executed"));
      assert(ok >= 0, task.lines.join("\n"));
      // Each line of it is a note.
      assertEquals(
        task.lines.slice(ok + 1, ok + 3),
        ["  note: retried the session", "  note: once"],
        task.lines.join("\n"),
      );
      // A cell's line names its index in the notebook (the markdown cell 1 counts) and its place
      // among the code cells run.
      const cells = task.lines.filter((line) => line.startsWith("  cell "));
      assertEquals(
        cells.map((line) => line.replace(/ done in \d+\.\d s /, " ")),
        ["  cell 0 (1/3)", "  cell 2 (2/3)", "  cell 3 (3/3)"],
      );
    } finally {
      await killLeftovers(task, []);
      remove();
    }
  },
});
