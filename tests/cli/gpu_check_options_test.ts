/**
 * The device check's options (scripts/cli/gpu_check_options.ts), in-process: the defaults, each
 * value taken at its ends, what is refused and in which words, and the arguments a child is given
 * (the workload it times must be the one asked for). tests/cli/gpu_check_test.ts runs the script
 * for its exit codes.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  childArgs,
  DEFAULT_BATCH_SIZE,
  DEFAULT_DIM,
  gpuCheckOptions,
  USAGE,
  workloadUsers,
} from "../../scripts/cli/gpu_check_options.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("gpuCheckOptions: the defaults are webgpu then wasm, SASRec, the library's d and batch, the whole epoch", () => {
  const values = gpuCheckOptions([]);
  assertEquals([DEFAULT_DIM, DEFAULT_BATCH_SIZE], [64, 128]);
  assertEquals(
    {
      backends: values.backends,
      system: values.system,
      users: values.users,
      maxBatches: values.maxBatches,
      dim: values.dim,
      batchSize: values.batchSize,
      flags: [values.adapter, values.profile, values.help],
      child: values.child,
    },
    {
      backends: ["webgpu", "wasm"],
      system: "sasrec",
      users: undefined,
      maxBatches: undefined,
      dim: 64,
      batchSize: 128,
      flags: [false, false, false],
      child: undefined,
    },
  );
  assertEquals(gpuCheckOptions(["-h"]).help, true);
  assertEquals(gpuCheckOptions(["--adapter"]).adapter, true);
  assertEquals(gpuCheckOptions(["--profile"]).profile, true);
  // --help names each default.
  for (const text of ["default webgpu,wasm", "default 64,", "default 128)", "default 22363"]) {
    assertEquals(USAGE.includes(text), true, text);
  }
});

Deno.test("USAGE: each default it states is the one the options take", () => {
  const text = USAGE.replace(/\s+/g, " ");
  const values = gpuCheckOptions([]);
  assertStringIncludes(text, `(webgpu, wasm, cpu; default ${values.backends.join(",")});`);
  assertStringIncludes(text, `denoising from the first step); default ${values.system} `);
  assertStringIncludes(text, `--dim N the model's width d (default ${values.dim},`);
  assertStringIncludes(text, `sequences per training step (default ${values.batchSize});`);
  // The users: the set's own for an epoch, a short set for --profile (gpu_check.ts trains those).
  const profile = workloadUsers(gpuCheckOptions(["--profile"]));
  assertStringIncludes(
    text,
    `workload (default ${workloadUsers(values)}; ${profile} with --profile)`,
  );
  assertEquals(workloadUsers(gpuCheckOptions(["--profile", "--users=7"])), 7);
});

Deno.test("gpuCheckOptions: values are taken as given, each bound included", () => {
  const values = gpuCheckOptions([
    "--backends=cpu,wasm,wasm",
    "--system=demure",
    "--users=1",
    "--max-batches=1000000",
    "--dim=4096",
    "--batch-size=1",
  ]);
  assertEquals(
    [values.backends, values.system, values.users, values.maxBatches, values.dim, values.batchSize],
    [["cpu", "wasm", "wasm"], "demure", 1, 1_000_000, 4096, 1],
  );
  const other = gpuCheckOptions([
    "--users=10000000",
    "--max-batches=1",
    "--dim=1",
    "--batch-size=65536",
  ]);
  assertEquals(
    [other.users, other.maxBatches, other.dim, other.batchSize],
    [10_000_000, 1, 1, 65_536],
  );
});

Deno.test("gpuCheckOptions: a backend or system not in the list, an empty entry, or a misspelt option is refused by name", () => {
  const refused: [string[], string][] = [
    [["--backends", "wasm,"], `--backends: "" is not one of webgpu, wasm, cpu`],
    [["--backends", "WASM"], `--backends: "WASM" is not one of webgpu, wasm, cpu`],
    [["--backends", "webgpu,wasm,gpu"], `--backends: "gpu" is not one of webgpu, wasm, cpu`],
    [["--backends", "was"], `--backends: "was" is not one of webgpu, wasm, cpu`],
    [["--system", "Demure"], `--system: "Demure" is not one of sasrec, demure`],
    [["--system", "sasrec2"], `--system: "sasrec2" is not one of sasrec, demure`],
    [["--users=-5"], "--users -5: must be an integer in 1..10000000"],
    [["--dim", "64.5"], "--dim 64.5: must be an integer in 1..4096"],
    // Each bound just outside, in-process (mutation round FG: --max-batches taking 0 was caught
    // only by gpu_check_test's subprocess, after two minutes of the whole epoch it then started).
    [["--max-batches=0"], "--max-batches 0: must be an integer in 1..1000000"],
    [["--max-batches=1000001"], "--max-batches 1000001: must be an integer in 1..1000000"],
    [["--users=0"], "--users 0: must be an integer in 1..10000000"],
    [["--users=10000001"], "--users 10000001: must be an integer in 1..10000000"],
    [["--dim=0"], "--dim 0: must be an integer in 1..4096"],
    [["--dim=4097"], "--dim 4097: must be an integer in 1..4096"],
    [["--batch-size=0"], "--batch-size 0: must be an integer in 1..65536"],
    [["--batch-size=65537"], "--batch-size 65537: must be an integer in 1..65536"],
  ];
  for (const [args, message] of refused) {
    const error = assertThrows(() => gpuCheckOptions(args), UsageError);
    assertEquals(error.message.startsWith(message), true, `${args.join(" ")}: ${error.message}`);
  }
  assertThrows(() => gpuCheckOptions(["--user", "5"]), UsageError, "--user");
  // The line lists the options a user may give: not --child, which the check sets on its children,
  // but --tests, which gpu_check.sh takes (--help shows it; the line left it out).
  assertEquals(
    assertThrows(() => gpuCheckOptions(["--user", "5"]), UsageError).message,
    "Unknown option '--user' (options: --adapter, --profile, --tests, --backends, --system, " +
      "--max-batches, --users, --dim, --batch-size, --help/-h)",
  );
  // Given to the script itself (not through gpu_check.sh), --tests says where it runs.
  assertEquals(
    assertThrows(() => gpuCheckOptions(["--tests"]), UsageError).message,
    "--tests runs through bash scripts/gpu_check.sh (deno task gpu-check --tests), alone",
  );
});

Deno.test("childArgs: a child is given the parent's system, batch cap, users, width and batch size", () => {
  const values = gpuCheckOptions(
    "--system demure --max-batches 3 --users 64 --dim 128 --batch-size 256".split(" "),
  );
  assertEquals(childArgs(values, "wasm"), [
    "--child",
    "wasm",
    "--system",
    "demure",
    "--max-batches",
    "3",
    "--users",
    "64",
    "--dim",
    "128",
    "--batch-size",
    "256",
  ]);
  // Defaults: no cap and no user count (the child takes the whole Beauty-shaped epoch), the
  // library's width and batch said out loud.
  assertEquals(childArgs(gpuCheckOptions([]), "webgpu"), [
    "--child",
    "webgpu",
    "--system",
    "sasrec",
    "--dim",
    "64",
    "--batch-size",
    "128",
  ]);
  // Profiling children profile.
  assertEquals(
    childArgs(gpuCheckOptions(["--profile", "--users=128"]), "cpu"),
    [
      "--child",
      "cpu",
      "--system",
      "sasrec",
      "--users",
      "128",
      "--dim",
      "64",
      "--batch-size",
      "128",
      "--profile",
    ],
  );
});
