import { assertEquals, assertThrows } from "@std/assert";
import {
  ATTRIBUTION_METHOD_NAMES,
  ATTRIBUTION_METHODS,
  attributionMethodName,
} from "../../lib/attribution/mod.ts";

Deno.test("attribution method names: every method has words of its own, no key shown raw", () => {
  const names = ATTRIBUTION_METHODS.map(attributionMethodName);
  assertEquals(names, [
    "gradient × input",
    "mask gradient",
    "gradient norm",
    "integrated gradients",
    "occlusion",
  ]);
  assertEquals(names.some((name) => name.includes("_")), false);
});

Deno.test("attribution method names: an unknown key is an error listing the known ones", () => {
  // Names every object has ("toString", "constructor") are no methods either: looked up as a
  // property, they would name a function, not words.
  for (const key of ["saliency", "toString", "constructor"]) {
    assertThrows(
      () => attributionMethodName(key),
      Error,
      `unknown attribution method "${key}" (known: gradient_x_input,`,
    );
  }
});

Deno.test("attribution method names: the shared table cannot be rewritten by a caller", () => {
  // One home for the words: a page that renamed a method in place renamed it on every other page.
  const names = ATTRIBUTION_METHOD_NAMES as Record<string, string>;
  assertThrows(() => {
    names.occlusion = "masking";
  }, TypeError);
  assertEquals(attributionMethodName("occlusion"), "occlusion");
});

Deno.test("attribution method names: a key is matched exactly, and the error lists every known one", () => {
  // A trimmed or lower-cased match let " occlusion" or "OCCLUSION" through the check, and the
  // lookup by the raw key then gave undefined: a table showed "undefined" for the method.
  for (const key of [" occlusion", "occlusion ", "OCCLUSION", "Gradient_X_Input"]) {
    assertThrows(
      () => attributionMethodName(key),
      Error,
      `attributionMethodName: unknown attribution method "${key}" (known: gradient_x_input, ` +
        "mask_gradient, gradient_norm, integrated_gradients, occlusion)",
    );
  }
});
