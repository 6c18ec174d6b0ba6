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
 * One colour per system of the workspace (`SYSTEMS` in `lib/experiments/systems.ts`, whose names a
 * test checks against this list), whatever else a figure draws: colours by position gave
 * SASRec-MM purple in notebook 02's baseline bars (fourth there), blue in 04's ablation bars
 * (first there), and Demure-SASRec orange in 04's ablation bars but blue in its sweeps, so a
 * reader matching colours across figures matched the wrong systems. The backbone and Demure keep
 * the two strongest colours; 12 systems need two colours beyond {@linkcode PALETTE}.
 */
export const SYSTEM_COLORS: Readonly<Record<string, string>> = {
  "SASRec-MM": "#636efa",
  "Demure-SASRec": "#ef553b",
  "CL4SRec-MM": "#00cc96",
  "AttributionOnly-SASRec": "#ab63fa",
  "ContrastiveOnly-SASRec": "#ffa15a",
  "SASRec-ID": "#19d3f3",
  "Demure-GRU4Rec": "#ff6692",
  "RandomInputMasks-SASRec": "#b6e880",
  "GRU4Rec-MM": "#ff97ff",
  "GRU4Rec-ID": "#fecb52",
  "Pop": "#7f7f7f",
  "ItemKNN": "#8c564b",
};

/**
 * The system a series draws, from its legend name: the name itself, or its first word when a
 * space follows (`"SASRec-MM (5 seeds)"`, `"Demure-SASRec (mean ± std over seeds)"`); `null` for
 * any other series (`"training loss"`, `"raw"`).
 */
export function systemOfSeries(name: string): string | null {
  // A notebook is not type-checked: a series without a name is drawn as plotly.js draws it.
  if (typeof name !== "string") return null;
  const head = name.split(" ")[0];
  return Object.hasOwn(SYSTEM_COLORS, head) ? head : null;
}

/**
 * The colour of each series of one figure, by legend name: a system's series
 * ({@linkcode systemOfSeries}) takes its {@linkcode SYSTEM_COLORS} colour in every figure; any
 * other series takes the next colour of {@linkcode PALETTE} by position, skipping the colours the
 * figure's systems took (so that "raw" never shares a colour with a system drawn beside it).
 *
 * @example
 * ```ts
 * seriesColors(["Pop (1 seed)", "SASRec-MM (5 seeds)"]); // ["#7f7f7f", "#636efa"]
 * seriesColors(["loss", "valid NDCG@10"]); // ["#636efa", "#ef553b"], as seriesColor(0), (1)
 * ```
 */
export function seriesColors(names: readonly string[]): string[] {
  const systems = names.map(systemOfSeries);
  const taken = new Set(
    systems.flatMap((system) => system === null ? [] : [SYSTEM_COLORS[system]]),
  );
  const free = PALETTE.filter((color) => !taken.has(color));
  // With every colour of the palette taken by systems, the others cycle through it all.
  const pool = free.length > 0 ? free : PALETTE;
  let next = 0;
  return systems.map((system) => {
    if (system !== null) return SYSTEM_COLORS[system];
    next += 1;
    return pool[(next - 1) % pool.length];
  });
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
