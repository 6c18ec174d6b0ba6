/**
 * Ticks for an x axis of counts (epochs, steps, whole-numbered settings): plotly.js places ticks
 * by the axis's span alone, so a short run (a quick-mode run of 3 epochs) got ticks at 1, 1.5, 2,
 * 2.5, 3, half-epochs that do not exist. When every x is a whole number and the span is short
 * enough for one tick per value, ticks go on the whole numbers; over longer spans plotly's own
 * round steps (2, 5, 10, ...) are already whole.
 */
import type { Axis } from "./figure.ts";

/** Above this span plotly's automatic step is 2 or more, a whole number. */
const MAX_SPAN_WITH_UNIT_TICKS = 12;

/** The tick settings for an x axis holding `xs`: one tick per whole number, or none to add. */
export function countTicks(xs: readonly (readonly number[])[]): Pick<Axis, "tickmode" | "dtick"> {
  const values = xs.flat();
  if (values.length === 0 || !values.every(Number.isInteger)) return {};
  // A loop, not Math.max(...values): a per-step curve (300,000 points) passed as that many
  // arguments overflowed the call stack.
  let smallest = values[0];
  let largest = values[0];
  for (const value of values) {
    if (value < smallest) smallest = value;
    if (value > largest) largest = value;
  }
  return largest - smallest <= MAX_SPAN_WITH_UNIT_TICKS ? { tickmode: "linear", dtick: 1 } : {};
}
