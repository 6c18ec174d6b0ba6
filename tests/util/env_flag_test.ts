import { assertEquals, assertThrows } from "@std/assert";
import { envFlag } from "../../lib/util/env_flag.ts";

Deno.test("envFlag: 1/true on, unset/empty/0/false off, anything else names the variable", () => {
  const name = "DEMURE_TEST_FLAG";
  const read = (value: string | undefined) => {
    if (value === undefined) Deno.env.delete(name);
    else Deno.env.set(name, value);
    try {
      return envFlag(name);
    } finally {
      Deno.env.delete(name);
    }
  };
  assertEquals([read("1"), read("true")], [true, true]);
  assertEquals([read(undefined), read(""), read("0"), read("false")], [false, false, false, false]);
  // These used to count as off without a word.
  for (const value of ["TRUE", "yes", " 1"]) {
    assertThrows(() => read(value), Error, `${name}=${JSON.stringify(value)}: must be 1 or true`);
  }
});

Deno.test("envFlag: a value with a newline or a quote is named as JSON writes it, on one line", async () => {
  // In a process of its own: the parallel suite's files share this one's environment. A value
  // read from a file may end in "\n": shown raw, the message would break over two lines.
  const module = new URL("../../lib/util/env_flag.ts", import.meta.url).href;
  const messageFor = async (value: string) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { envFlag } from "${module}";\n` +
        `try { envFlag("DEMURE_TEST_FLAG"); } catch (e) { console.log((e as Error).message); }`,
      ],
      env: { DEMURE_TEST_FLAG: value },
      clearEnv: true,
      stdin: "null",
    }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    return new TextDecoder().decode(output.stdout);
  };
  const rule = "must be 1 or true (on), 0 or false (off)";
  assertEquals(await messageFor("1\n"), `DEMURE_TEST_FLAG="1\\n": ${rule}\n`);
  assertEquals(await messageFor('"1"'), `DEMURE_TEST_FLAG="\\"1\\"": ${rule}\n`);
});
