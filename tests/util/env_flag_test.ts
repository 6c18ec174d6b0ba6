import { assertEquals } from "@std/assert";
import { envFlagReads } from "./_env_flag_reads.ts";

Deno.test("envFlag: 1/true on, unset/empty/0/false off, anything else names the variable", async () => {
  // The variable is set in a process of its own: the parallel suite's files share this one's
  // environment. Each value gives envFlag's answer, or its error's message.
  const values = ["1", "true", null, "", "0", "false", "TRUE", "yes", " 1"];
  const read = await envFlagReads(values);
  const rule = "must be 1 or true (on), 0 or false (off)";
  assertEquals(read.slice(0, 2), [true, true]);
  assertEquals(read.slice(2, 6), [false, false, false, false]);
  // These used to count as off without a word.
  assertEquals(read.slice(6), [
    `DEMURE_TEST_FLAG="TRUE": ${rule}`,
    `DEMURE_TEST_FLAG="yes": ${rule}`,
    `DEMURE_TEST_FLAG=" 1": ${rule}`,
  ]);
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
