/**
 * envFlag's off values are exact, as its on values are: "0" and "false" only, not another spelling
 * of zero or of false (" 0", "00", "0.0", "FALSE"). Such a value throws, naming the variable; read
 * as off it would run the other mode without a word.
 */
import { assertEquals } from "@std/assert";
import { envFlagReads } from "./_env_flag_reads.ts";

Deno.test("envFlag: another spelling of 0 or false is not off: it throws, naming the value", async () => {
  // In a process of its own: the parallel suite's files share this one's environment.
  const values = [" 0", "00", "0.0", "-0", "0x0", "FALSE", "False", "off", "no"];
  const read = await envFlagReads(values);
  const rule = "must be 1 or true (on), 0 or false (off)";
  assertEquals(read, values.map((value) => `DEMURE_TEST_FLAG=${JSON.stringify(value)}: ${rule}`));
});
