import { assertEquals, assertThrows } from "@std/assert";
import { parseOptions } from "../../scripts/bench_side_by_side.ts";

Deno.test("bench_side_by_side options: defaults, overrides and clear errors", () => {
  const defaults = parseOptions([]);
  assertEquals(defaults.epochs, 4);
  assertEquals(defaults.threads, navigator.hardwareConcurrency);
  assertEquals(defaults.workloads, ["movielens", "beauty"]);
  assertEquals(parseOptions(["--epochs=5", "--threads=1", "--workloads=beauty"]), {
    epochs: 5,
    threads: 1,
    workloads: ["beauty"],
  });
  assertThrows(() => parseOptions(["--epoch=3"]), Error, '"--epoch=3"');
  assertThrows(() => parseOptions(["--threads=two"]), Error, "malformed");
  assertThrows(() => parseOptions(["--epochs=2"]), Error, "at least 4");
  assertThrows(() => parseOptions(["--workloads=ml1m"]), Error, 'unknown workload "ml1m"');
});
