/**
 * How long `display` and `displayTable` wait after an output, so that the Deno kernel publishes it
 * under its own cell before Run All's next request takes over (docs/notebooks.md, "Run All and
 * where outputs land"; the kernel itself is checked by scripts/check_kernel_routing.py).
 */
import { assertEquals } from "@std/assert";
import { publishWaitMs } from "../../lib/notebook/display.ts";

Deno.test("publishWaitMs: 20 ms plus 0.25 ms per 1000 characters, at most 5 s", () => {
  assertEquals(publishWaitMs(0), 20);
  assertEquals(publishWaitMs(20_000), 25); // a figure or a table
  assertEquals(publishWaitMs(1_500_000), 395); // the first figure, with plotly.js
  assertEquals(publishWaitMs(100_000_000), 5000);
});
