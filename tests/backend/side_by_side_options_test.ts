import { assertEquals, assertThrows } from "@std/assert";
import { parseOptions } from "../../scripts/bench_side_by_side.ts";

Deno.test("bench_side_by_side options: defaults, overrides and a clear error", () => {
  const defaults = parseOptions([]);
  assertEquals(defaults.steps, 10);
  assertEquals(defaults.threads, navigator.hardwareConcurrency);
  assertEquals(parseOptions(["--steps=3", "--threads=1", "--dropout=0"]), {
    steps: 3,
    threads: 1,
    dropout: 0,
  });
  assertThrows(() => parseOptions(["--step=3"]), Error, '"--step=3"');
  assertThrows(() => parseOptions(["--threads=two"]), Error, "malformed");
});
