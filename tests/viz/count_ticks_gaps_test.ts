/**
 * The edges of `countTicks` (lib/viz/_count_ticks.ts) that the figure builders' tests do not reach
 * (tests/viz/builders_test.ts): the span's bound itself, a mix of whole and fractional x, no x at
 * all, and counts that do not start near 0.
 */
import { assertEquals } from "@std/assert";
import { countTicks } from "../../lib/viz/_count_ticks.ts";

const UNIT = { tickmode: "linear", dtick: 1 } as const;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test("countTicks: unit ticks up to a span of 12 inclusive, plotly's own steps above", () => {
  assertEquals(countTicks([range(1, 13)]), UNIT); // span 12: 13 ticks
  assertEquals(countTicks([range(1, 14)]), {}); // span 13: plotly's step is 2
  assertEquals(countTicks([range(0, 20)]), {});
});

Deno.test("countTicks: one fractional x among whole ones leaves the axis to plotly", () => {
  assertEquals(countTicks([[1, 2, 3]]), UNIT);
  assertEquals(countTicks([[1, 1.5, 2]]), {});
  assertEquals(countTicks([[1, 2, 3], [2.5]]), {});
});

Deno.test("countTicks: no x at all adds no ticks", () => {
  assertEquals(countTicks([]), {});
  assertEquals(countTicks([[], []]), {});
});

Deno.test("countTicks: the span is from the smallest x, not from 0", () => {
  assertEquals(countTicks([range(100, 105)]), UNIT);
  assertEquals(countTicks([[100, 101], [112]]), UNIT);
});

Deno.test("countTicks: the span is from the smallest to the largest x, whatever their order", () => {
  // Validation every 10 epochs listed before the loss of every epoch: the span is 19, not 10.
  assertEquals(countTicks([[10, 20], range(1, 20)]), {});
  assertEquals(countTicks([[14, 1]]), {});
});

Deno.test("countTicks: one point, or every series at the same x, gets unit ticks (span 0)", () => {
  // A one-epoch run: plotly's own ticks around a single x fall on fractions (0.5, 1.5) that are no
  // epochs. Found by mutation round NB (NB14).
  assertEquals(countTicks([[1]]), UNIT);
  assertEquals(countTicks([[3], [3]]), UNIT);
});

Deno.test("countTicks: negative whole numbers are counts too (epochs relative to the best)", () => {
  // Found by mutation round NB (NB15).
  assertEquals(countTicks([range(-3, 3)]), UNIT);
  assertEquals(countTicks([[-20, -10, 0]]), {});
});
