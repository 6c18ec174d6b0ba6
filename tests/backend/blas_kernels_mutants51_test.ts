/**
 * `DEMURE_BLAS_KERNELS` (lib/backend/blas_kernels.ts) is one of its values exactly: a value that
 * starts with one (a trailing space, a suffix) is refused by name, not read as that value. Found by
 * mutation round mu51a: a prefix match (`text.startsWith(value)`) survived every test, and
 * "native1" would then have run as `records` (only the exact "native" keeps OpenBLAS's choice).
 * The text is passed in: setting the variable would race with the test modules running beside
 * this one in the same process (deno test --parallel).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { blasKernelSetting } from "../../lib/backend/blas_kernels.ts";

Deno.test("blasKernelSetting: a value that only starts with records or native is refused by name", () => {
  for (const text of ["records ", "native1", "records,native", "native\n"]) {
    const error = assertThrows(() => blasKernelSetting(text));
    assertEquals(error.name, "SettingError");
    assertEquals(
      error.message,
      `DEMURE_BLAS_KERNELS is ${JSON.stringify(text)}; allowed: records or native (unset: records)`,
    );
  }
  // The exact values beside them, so a check that refuses everything fails too.
  assertEquals([blasKernelSetting("records"), blasKernelSetting("native")], ["records", "native"]);
});
