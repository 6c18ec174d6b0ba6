/**
 * How `reproduce --list-cells` writes a duration in its cost line: hours (one decimal) from 2 h
 * on, whole minutes from 10 min on, tenths of a minute below (docs/scale.md quotes such lines).
 *
 * @example
 * ```ts
 * durationText(90); // "1.5 min"
 * durationText(600); // "10 min"
 * durationText(7200); // "2.0 h"
 * ```
 */
export function durationText(seconds: number): string {
  if (seconds >= 7200) return `${(seconds / 3600).toFixed(1)} h`;
  return `${seconds < 600 ? (seconds / 60).toFixed(1) : Math.round(seconds / 60)} min`;
}
