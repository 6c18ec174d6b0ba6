/**
 * The device check's options (scripts/cli/gpu_check_options.ts) at the edges the first tests left
 * open: a backend with white space around it is not the backend (the child would be asked for
 * " wasm"), and --tests is refused with any other option, --adapter included. Found by mutation
 * round KG (KG30, KG32).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { gpuCheckOptions } from "../../scripts/cli/gpu_check_options.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("gpuCheckOptions: a backend is taken as typed: 'webgpu, wasm' names \" wasm\", which is refused", () => {
  for (const [list, named] of [["webgpu, wasm", " wasm"], ["wasm ", "wasm "]]) {
    assertEquals(
      assertThrows(() => gpuCheckOptions(["--backends", list]), UsageError).message,
      `--backends: "${named}" is not one of webgpu, wasm, cpu`,
    );
  }
});

Deno.test("gpuCheckOptions: --tests is refused with --adapter or --profile too (gpu_check.sh runs it alone)", () => {
  for (const other of ["--adapter", "--profile"]) {
    assertEquals(
      assertThrows(() => gpuCheckOptions(["--tests", other]), UsageError).message,
      "--tests runs through bash scripts/gpu_check.sh (deno task gpu-check --tests), alone",
    );
  }
});
