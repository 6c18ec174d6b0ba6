import { assertEquals, assertThrows } from "@std/assert";
import { sideBySideOptions } from "../../scripts/bench_side_by_side.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("bench_side_by_side options: defaults, overrides and clear errors", () => {
  const defaults = sideBySideOptions([]);
  assertEquals(defaults.epochs, 4);
  assertEquals(defaults.threads, navigator.hardwareConcurrency);
  assertEquals(defaults.workloads, ["movielens", "beauty"]);
  assertEquals(sideBySideOptions(["--epochs=5", "--threads", "1", "--workloads=beauty"]), {
    epochs: 5,
    threads: 1,
    workloads: ["beauty"],
  });
  assertThrows(() => sideBySideOptions(["--epoch=3"]), UsageError, "Unknown option '--epoch'");
  assertThrows(() => sideBySideOptions(["--threads=two"]), UsageError, "--threads two: must be");
  assertThrows(() => sideBySideOptions(["--epochs=2"]), UsageError, "must be an integer in 4..");
  assertThrows(
    () => sideBySideOptions(["--workloads=ml1m"]),
    UsageError,
    'unknown workload "ml1m"',
  );
});
