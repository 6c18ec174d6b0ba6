/**
 * What the cluster routes share (scripts/cluster/submission.ts), called directly: the edges of its
 * option checks that the routes' own tests (tests/slurm/, tests/kubernetes/) do not reach.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { backendOption, listPlanCells, requestOverride } from "../../scripts/cluster/submission.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("backendOption: a CPU backend without --gpu is taken; a GPU backend with --gpu too", () => {
  assertEquals(backendOption("wasm"), "wasm");
  assertEquals(backendOption("cpu", false), "cpu");
  assertEquals(backendOption("tensorflow", true), "tensorflow");
  assertEquals(backendOption("webgpu", true), "webgpu");
  assertEquals(backendOption(undefined), undefined);
  assertThrows(() => backendOption("wasm", true), UsageError, "--gpu with --backend wasm");
});

Deno.test("requestOverride: each request's range ends where its message says, both inclusive", () => {
  assertEquals(requestOverride({ minutes: "43200", "memory-mb": "1048576" }), {
    minutes: 43_200,
    memoryMb: 1_048_576,
  });
  assertEquals(requestOverride({ minutes: "1", "memory-mb": "1" }), { minutes: 1, memoryMb: 1 });
  assertEquals(requestOverride({}), {});
  assertThrows(
    () => requestOverride({ "memory-mb": "1048577" }),
    UsageError,
    "--memory-mb 1048577: must be an integer in 1..1048576",
  );
  assertThrows(
    () => requestOverride({ minutes: "43201" }),
    UsageError,
    "--minutes 43201: must be an integer in 1..43200",
  );
});

Deno.test("listPlanCells: a results folder the permissions cannot name is a usage error, before any listing", () => {
  // Status 2 and a pointer to --help (a UsageError), not a failure of the listing (status 1).
  assertThrows(
    () => listPlanCells("/no/such/deno", "/tmp/my results", []),
    UsageError,
    '--results: folder "/tmp/my results" is empty or holds white space or a comma',
  );
});

Deno.test("requireTool: a folder or a file that cannot be run, on PATH and named like the tool, is not the tool", () => {
  // PATH matters: a subprocess (tests share one process).
  const dir = Deno.makeTempDirSync({ prefix: "demure-path-" });
  try {
    Deno.mkdirSync(`${dir}/folder-tool`);
    Deno.writeTextFileSync(`${dir}/file-tool`, "#!/bin/sh\n", { mode: 0o755 });
    const module = new URL("../../scripts/cluster/submission.ts", import.meta.url).href;
    const found = (name: string) => {
      const output = new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          `import { requireTool } from "${module}";\n` +
          `try { requireTool("${name}", " (hint)"); console.log("found"); }\n` +
          "catch (error) { console.log(error.message); }",
        ],
        env: { PATH: dir },
        stdout: "piped",
        stderr: "piped",
      }).outputSync();
      return new TextDecoder().decode(output.stdout).trim();
    };
    assertEquals(found("file-tool"), "found");
    assertEquals(found("folder-tool"), "folder-tool not found on PATH (hint)");
    // Nor is a file that cannot be run (it failed when run, with a raw PermissionDenied).
    Deno.writeTextFileSync(`${dir}/plain-tool`, "#!/bin/sh\n", { mode: 0o644 });
    Deno.chmodSync(`${dir}/plain-tool`, 0o644);
    assertEquals(found("plain-tool"), "plain-tool not found on PATH (hint)");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
