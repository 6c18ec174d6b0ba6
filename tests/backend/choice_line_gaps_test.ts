/**
 * The backend's start-up line (lib/backend/_choice_line.ts) for the kernel lists choice_line_test.ts
 * leaves out: cpu runs OpenBLAS too, named as on wasm, and its reason is printed as given.
 * Found by mutation round KB (KB33).
 */
import { assertEquals } from "@std/assert";
import { describeChoice } from "../../lib/backend/_choice_line.ts";

Deno.test("describeChoice names OpenBLAS on cpu as on wasm", () => {
  assertEquals(
    describeChoice("cpu", "forced by DEMURE_BACKEND or config", ["BatchMatMul(openblas)"]),
    "backend: cpu + OpenBLAS (forced by DEMURE_BACKEND or config)",
  );
  assertEquals(
    describeChoice("cpu", "wasm failed (x)", [
      "UnsortedSegmentSum(linear)",
      "BatchMatMul(openblas)",
    ]),
    "backend: cpu + OpenBLAS and 1 faster kernels (wasm failed (x))",
  );
});
