/**
 * `./run.sh lab --help`, `reproduce --help`, `notebooks --help` and `bench --help` (or `-h`, before
 * any `--`) are answered by the command itself before the set-up (`scripts/setup.sh`, which may
 * install packages), once the Deno and the libraries the set-up installs are there: they ran the
 * set-up first, as `./run.sh test --help` no longer did. On a fresh machine (no Deno yet), and for
 * every other command line, the set-up still comes first.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runWithOnlyTools } from "./_run_with_only_tools.ts";

const root = new URL("../../", import.meta.url).pathname;

/**
 * `bash run.sh ...args` in `cwd`, with a PATH of only `dirname`, `sed` and (with `withBash`)
 * `bash`: without bash a set-up that ran fails at once with "bash: command not found".
 */
function runSh(cwd: string, args: string[], withBash = false) {
  const tools = ["dirname", "sed", ...(withBash ? ["bash"] : [])];
  return runWithOnlyTools(`${cwd}/run.sh`, args, { cwd, tools });
}

Deno.test("./run.sh lab|reproduce|notebooks|bench --help: the command's usage, the set-up never run", async () => {
  const expected: [string[], string][] = [
    [["lab", "--help"], "usage: ./run.sh lab [--port N]"],
    [["lab", "-h"], "usage: ./run.sh lab [--port N]"],
    [["reproduce", "--help"], "Usage: deno task reproduce"],
    [["notebooks", "--help"], "Usage: deno task notebooks"],
    [["bench", "--help"], "deno bench"],
  ];
  for (const [args, usage] of expected) {
    const { code, stdout, stderr } = await runSh(root, args);
    // No "bash: command not found" (the set-up), no task command line before the usage.
    assertEquals([code, stderr], [0, ""], args.join(" "));
    assertStringIncludes(stdout.split("\n").slice(0, 3).join("\n"), usage, args.join(" "));
  }
});

/**
 * A copy of run.sh in a folder of its own: the set-up a stub that says so, Deno a stub that prints
 * its arguments; `installed` makes the Deno and the libraries the set-up installs.
 */
async function stubProject(dir: string, installed: boolean) {
  await Deno.copyFile(`${root}run.sh`, `${dir}/run.sh`);
  await Deno.mkdir(`${dir}/scripts`);
  await Deno.writeTextFile(`${dir}/scripts/setup.sh`, 'echo "setup ran"\n');
  if (!installed) return;
  await Deno.mkdir(`${dir}/tools/node_modules/.bin`, { recursive: true });
  await Deno.mkdir(`${dir}/node_modules`);
  await Deno.writeTextFile(`${dir}/tools/node_modules/.bin/deno`, '#!/bin/sh\necho "deno $*"\n');
  await Deno.chmod(`${dir}/tools/node_modules/.bin/deno`, 0o755);
}

Deno.test("./run.sh: the set-up runs first without a Deno yet, and for any command line but a help", async () => {
  const dir = await Deno.makeTempDir({ prefix: "run_sh_help_" });
  try {
    await stubProject(dir, true);
    // A help after other options is one too; after `--` it is a word passed on, not a help.
    const help = await runSh(dir, ["reproduce", "--quick", "--help"], true);
    assertEquals(help, {
      code: 0,
      stdout: "deno task --quiet reproduce --quick --help\n",
      stderr: "",
    });
    for (const args of [["lab", "--port", "9000"], ["bench", "--", "--help"], ["notebooks"]]) {
      const { code, stdout } = await runSh(dir, args, true);
      assertEquals(code, 0, args.join(" "));
      assert(stdout.startsWith("setup ran\ndeno "), `${args.join(" ")}:\n${stdout}`);
    }
    // A fresh machine: the set-up installs the Deno that answers the help.
    await Deno.remove(`${dir}/node_modules`);
    const fresh = await runSh(dir, ["lab", "--help"], true);
    assert(fresh.stdout.startsWith("setup ran\ndeno run "), fresh.stdout);
    assert(fresh.stdout.trimEnd().endsWith("scripts/lab.ts --help"), fresh.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
