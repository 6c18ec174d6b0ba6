/**
 * Behaviour of lib/notebook/display.ts that a hand mutation round (session 53, mu53a) changed
 * without any test noticing (its kernel side: kernel_outputs_mutants53_test.ts).
 */
import { assertEquals } from "@std/assert";
import { publishWaitMs } from "../../lib/notebook/display.ts";

// Mutant: Math.round -> Math.ceil in publishWaitMs (the pinned sizes all gave whole milliseconds).
Deno.test("publishWaitMs: rounded to the nearest millisecond, not up", () => {
  assertEquals(publishWaitMs(1_000), 20); // 20.25 ms
  assertEquals(publishWaitMs(3_000), 21); // 20.75 ms
});
