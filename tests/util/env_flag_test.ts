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
