/** Colours shared by every figure so that a method keeps its colour across plots. */

/** Ten distinguishable colours (Plotly's default qualitative sequence). */
export const PALETTE: readonly string[] = [
  "#636efa",
  "#ef553b",
  "#00cc96",
  "#ab63fa",
  "#ffa15a",
  "#19d3f3",
  "#ff6692",
  "#b6e880",
  "#ff97ff",
  "#fecb52",
];

/**
 * The colour of series `index` (an integer; a fraction is refused, it has no colour), cycling
 * through {@linkcode PALETTE}.
 *
 * @example
 * ```ts
 * seriesColor(0); // "#636efa"
 * ```
 */
export function seriesColor(index: number): string {
  if (!Number.isInteger(index)) {
    throw new RangeError(`seriesColor: index must be an integer, got ${index}`);
  }
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/**
 * `#rrggbb` to `rgba(r,g,b,alpha)`, for translucent error bands; `alpha` in [0, 1] (outside it,
 * or NaN, the colour would be invalid CSS, which Plotly draws black or not at all).
 *
 * @example
 * ```ts
 * withAlpha("#ff0000", 0.2); // "rgba(255,0,0,0.2)"
 * ```
 */
export function withAlpha(hexColor: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hexColor);
  if (!match) throw new Error(`withAlpha: expected a #rrggbb colour, got "${hexColor}"`);
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`withAlpha: alpha must be in [0, 1], got ${alpha}`);
  }
  const [red, green, blue] = match.slice(1).map((pair) => parseInt(pair, 16));
  return `rgba(${red},${green},${blue},${alpha})`;
}
