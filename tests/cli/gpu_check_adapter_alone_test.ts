/**
 * `deno task gpu-check --adapter` prints the adapter line and stops, so it is given alone: an
 * option that only a timing reads was dropped beside it without a word (`--adapter --profile`
 * profiled nothing and exited 0), where every other command refuses what it does not take.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { gpuCheckOptions } from "../../scripts/cli/gpu_check_options.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("gpuCheckOptions: --adapter with a timing option is refused, naming what was given", () => {
  for (const args of [["--adapter", "--profile"], ["--dim", "128", "--adapter"]]) {
    assertEquals(
      assertThrows(() => gpuCheckOptions(args), UsageError).message,
      `--adapter takes no other option (given: ${args.join(" ")})`,
    );
  }
});

Deno.test("gpuCheckOptions: --adapter alone is taken, and --help beside it still answers", () => {
  assertEquals(gpuCheckOptions(["--adapter"]).adapter, true);
  assertEquals(gpuCheckOptions(["--adapter", "--help"]).help, true);
});
