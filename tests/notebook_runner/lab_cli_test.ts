/**
 * `deno task lab`'s options, through the task's own command line: a bad port or a repeated one is
 * one line before any server starts (a repeated --port used to serve on the last one), and so is
 * a Python the task may not run.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;
const task = denoTask("lab");

Deno.test("lab: a port that is not a number, or --port twice, is one line and exit 2", async () => {
  const words = task.split(/\s+/).slice(1);
  for (
    const [args, message] of [
      [["--port", "abc"], "lab: --port abc: must be an integer in 1..65535; see --help\n"],
      [["--port", "0"], "lab: --port 0: must be an integer in 1..65535; see --help\n"],
      [["--port", "9001", "--port", "9002"], "lab: --port given twice: give it once; see --help\n"],
    ] as const
  ) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...words, ...args],
      cwd: root,
      stdin: "null",
    }).output();
    assertEquals(
      [output.code, new TextDecoder().decode(output.stderr)],
      [2, message],
      args.join(" "),
    );
  }
});

Deno.test("lab: a DEMURE_JUPYTER_PYTHON outside the task's --allow-run is named as the cause", async () => {
  const words = task.split(/\s+/).slice(1);
  // /bin/sh exists, so only the permission can stop it (the task allows /usr/bin/python3).
  const output = await new Deno.Command(Deno.execPath(), {
    args: words,
    cwd: root,
    env: { DEMURE_JUPYTER_PYTHON: "/bin/sh" },
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 1, stderr);
  assertEquals(stderr.split("\n").length, 2, `one line: ${stderr}`);
  assertStringIncludes(stderr, "lab: cannot run /bin/sh: not in this task's --allow-run (");
  assertStringIncludes(stderr, "run the script with the task's flags plus that path");
  assert(!stderr.includes("install"), `no install advice: ${stderr}`);
});

Deno.test('lab: an empty DEMURE_JUPYTER_PYTHON counts as unset, not as the program ""', async () => {
  // In a process of its own: the parallel suite's files share this one's environment.
  const module = new URL("../../lib/notebook_runner/lab_server.ts", import.meta.url).href;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { labProblem } from "${module}"; console.log(JSON.stringify(await labProblem()));`,
    ],
    env: { DEMURE_JUPYTER_PYTHON: "" },
    stdin: "null",
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  // null where Debian's Jupyter is installed; otherwise a problem of /usr/bin/python3.
  const problem = JSON.parse(new TextDecoder().decode(output.stdout)) as string | null;
  assert(problem === null || problem.includes("/usr/bin/python3"), `${problem}`);
});

Deno.test("lab: a bad DEMURE_QUICK or DEMURE_RERUN is one line and exit 2, before the server starts", async () => {
  const words = task.split(/\s+/).slice(1);
  for (const [name, value] of [["DEMURE_QUICK", "yes"], ["DEMURE_RERUN", "2"]]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: words,
      cwd: root,
      // A Python that cannot start: where the variable went unchecked, the lab stops there (exit
      // 1) rather than serve kernels that inherit it, whose every cell reading it failed.
      env: { [name]: value, DEMURE_JUPYTER_PYTHON: "/nonexistent/python3" },
      stdin: "null",
    }).output();
    assertEquals(
      [output.code, new TextDecoder().decode(output.stderr)],
      [
        2,
        `lab: ${name}="${value}": must be 1 or true (on), 0 or false (off) (read by every ` +
        "notebook's kernel)\n",
      ],
    );
  }
});
