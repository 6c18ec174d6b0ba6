/**
 * The backend's start-up line (lib/backend/_choice_line.ts) for the kernel lists this machine's
 * backends never print: native TensorFlow replaces no kernel, and a list may hold OpenBLAS kernels
 * only. Neither may print a count of 0 faster kernels.
 */
import { assertEquals } from "@std/assert";
import { describeChoice } from "../../lib/backend/_choice_line.ts";

Deno.test("describeChoice names OpenBLAS and counts the other kernels, and says nothing of none", () => {
  const blas = ["BatchMatMul(openblas)", "_FusedMatMul(openblas)"];
  assertEquals(describeChoice("tensorflow", "forced", []), "backend: tensorflow (forced)");
  assertEquals(
    describeChoice("wasm", "the default", blas),
    "backend: wasm + OpenBLAS (the default)",
  );
  assertEquals(
    describeChoice("wasm", "the default", [...blas, "UnsortedSegmentSum", "Gather"]),
    "backend: wasm + OpenBLAS and 2 faster kernels (the default)",
  );
  assertEquals(
    describeChoice("webgpu", "forced", ["uploads(writeBuffer)"]),
    "backend: webgpu + 1 faster kernels (forced)",
  );
});
