/**
 * `deno task gpu-check --adapter` prints the adapter line and exits: an epoch's option beside it
 * (`--adapter --max-batches 2`, `--adapter --profile`) was dropped without a word and the command
 * exited 0, as if it had been heeded. Each is now a UsageError naming the option; --adapter alone
 * and the epoch's options alone keep their defaults.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { gpuCheckOptions } from "../../scripts/cli/gpu_check_options.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("gpuCheckOptions: --adapter with an epoch's option is refused by the option's name", () => {
  const cases: [string[], string][] = [
    [["--profile"], "profile"],
    [["--backends", "wasm"], "backends"],
    // A default typed out is still an option the adapter line would not heed.
    [["--system", "sasrec"], "system"],
    [["--max-batches", "2"], "max-batches"],
    [["--users=64"], "users"],
    [["--dim", "64"], "dim"],
    [["--batch-size", "8"], "batch-size"],
  ];
  for (const [epoch, name] of cases) {
    for (const args of [["--adapter", ...epoch], [...epoch, "--adapter"]]) {
      assertEquals(
        assertThrows(() => gpuCheckOptions(args), UsageError).message,
        `--adapter prints the adapter line only: --${name} would be ignored; give one or the other`,
        args.join(" "),
      );
    }
  }
});

Deno.test("gpuCheckOptions: --adapter alone, and the epoch's options without it, are taken", () => {
  const adapter = gpuCheckOptions(["--adapter"]);
  assertEquals([adapter.adapter, adapter.backends, adapter.system], [
    true,
    ["webgpu", "wasm"],
    "sasrec",
  ]);
  const epoch = gpuCheckOptions(["--system", "demure", "--backends", "wasm"]);
  assertEquals([epoch.adapter, epoch.backends, epoch.system], [false, ["wasm"], "demure"]);
});

Deno.test("gpuCheckOptions: --help beside --adapter still answers", () => {
  assertEquals(gpuCheckOptions(["--adapter", "--help"]).help, true);
});
