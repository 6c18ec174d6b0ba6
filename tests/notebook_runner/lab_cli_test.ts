/**
 * `deno task lab`'s options, through the task's own command line: a bad port or a repeated one is
 * one line before any server starts (a repeated --port used to serve on the last one).
 */
import { assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;
const task = (JSON.parse(Deno.readTextFileSync(`${root}deno.json`)) as {
  tasks: Record<string, string>;
}).tasks.lab;

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
