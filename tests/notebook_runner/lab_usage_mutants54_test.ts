/** `./run.sh lab --help` states the ports the lab tries without `--port`. */
import { assertEquals } from "@std/assert";
import { LAB_USAGE } from "../../scripts/lab.ts";

Deno.test("lab --help: the default ports named are 8888 up to 8937, the range the server tries", () => {
  // The library tries 8888 and the next 49 (lab_port_range_test.ts): the last is 8937, not 8938
  // (mutation round 54, scripts/lab.ts:34, first + count).
  const range = LAB_USAGE.match(/default (\d+), or the next free one up to (\d+)\)/);
  assertEquals(range?.slice(1), ["8888", "8937"], LAB_USAGE);
});
