import type { Figure } from "./figure.ts";
import { figureDivHtml } from "./figure_html.ts";
import {
  FULL_PLOTLY_BUNDLE,
  loadPlotlyBundle,
  tracesOutsideDefaultBundle,
} from "./plotly_bundle.ts";
import {
  type ChromiumConfig,
  chromiumExecutable,
  chromiumLaunch,
  makeBrowserDir,
  resolveChromiumConfig,
  runHeadlessChromium,
} from "./chromium.ts";
import {
  checkInteger,
  checkNumber,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import { makeFolders } from "../data/atomic_write.ts";

/** Options of {@linkcode figureToPng}. */
export interface FigurePngOptions {
  /** Image width in CSS pixels, an integer >= 1. Default: 1000 ({@linkcode DEFAULT_FIGURE_PNG_OPTIONS}). */
  width?: number;
  /** Image height in CSS pixels, an integer >= 1. Default: 600. */
  height?: number;
  /** Device pixel ratio, above 0 (2 gives a sharp README image). Default: 2. */
  scale?: number;
  /**
   * How headless Chromium runs; not its `windowSize` (refused: the image's size is `width` x
   * `height`). Default: the defaults of {@linkcode ChromiumConfig}.
   */
  chromium?: ChromiumConfig;
}

/** The defaults of {@linkcode FigurePngOptions}: 1000 x 600 CSS pixels at twice the resolution. */
export const DEFAULT_FIGURE_PNG_OPTIONS: Readonly<Required<Omit<FigurePngOptions, "chromium">>> =
  Object.freeze({ width: 1000, height: 600, scale: 2 });

/** The names of {@linkcode FigurePngOptions}: a misspelt `widht` drew at the default width. */
const FIGURE_PNG_OPTION_NAMES: SettingNames<FigurePngOptions> = Object.freeze({
  width: true,
  height: true,
  scale: true,
  chromium: true,
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The IEND chunk (length 0, type, CRC) that ends every whole PNG. */
const PNG_END = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/**
 * Screenshot a figure to a PNG with headless Chromium (the figure is drawn by the same plotly.js
 * as the notebooks). Written to a temporary file, checked to be a whole PNG (its signature and its
 * closing IEND chunk), then renamed to `path`.
 *
 * @example
 * ```ts
 * await figureToPng(contributionHeatmap({ values, numPositions: 10, modalityNames }), "docs/heatmap.png");
 * ```
 */
export async function figureToPng(
  figure: Figure,
  path: string,
  options: FigurePngOptions = {},
): Promise<void> {
  checkSettingNames("FigurePngOptions", options, FIGURE_PNG_OPTION_NAMES);
  // Left out or undefined: the default; null is a value, refused below (it drew at the default).
  const { width, height, scale } = withDefaults(DEFAULT_FIGURE_PNG_OPTIONS, options);
  const chromium: unknown = options.chromium;
  // A number ran Chromium with the defaults; a text was refused by its letters' indices.
  if (
    chromium !== undefined &&
    (chromium === null || typeof chromium !== "object" || Array.isArray(chromium))
  ) {
    throw new SettingError(
      "FigurePngOptions.chromium",
      chromium,
      "ChromiumConfig settings (an object)",
    );
  }
  // Checked before anything starts: a scale of NaN or 0 went into Chromium's flag as it was, and
  // Chromium drew at its default ratio, an image of the wrong size reported as written.
  // Its settings too, before anything starts: refused inside the run, a SettingError of
  // ChromiumConfig came out as the plain Error of a failed render.
  if (options.chromium !== undefined) resolveChromiumConfig(options.chromium);
  // The image's size is width x height: a window size given here was dropped without a word.
  if (options.chromium?.windowSize !== undefined) {
    throw new SettingError(
      "FigurePngOptions.chromium.windowSize",
      options.chromium.windowSize,
      "none: the image's size is FigurePngOptions.width and height",
    );
  }
  checkInteger("FigurePngOptions.width", width, { min: 1 });
  checkInteger("FigurePngOptions.height", height, { min: 1 });
  checkNumber("FigurePngOptions.scale", scale, { above: 0 });
  const sized: Figure = { data: figure.data, layout: { ...figure.layout, width, height } };
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8">` +
    `<style>html,body{margin:0;padding:0;background:#fff}</style>` +
    `<script>${await loadPlotlyBundle(
      tracesOutsideDefaultBundle(figure).length > 0 ? FULL_PLOTLY_BUNDLE : undefined,
    )}</script></head><body>` +
    figureDivHtml(sized, { elementId: "figure", staticPlot: true }) + `</body></html>`;
  const launch = chromiumLaunch(chromiumExecutable(options.chromium), options.chromium?.sandbox);
  const workDir = await makeBrowserDir("demure-png-", launch);
  try {
    const pagePath = `${workDir}/figure.html`;
    const shotPath = `${workDir}/figure.png`;
    await Deno.writeTextFile(pagePath, page);
    const run = await runHeadlessChromium(
      [
        `--force-device-scale-factor=${scale}`,
        `--screenshot=${shotPath}`,
        `file://${pagePath}`,
      ],
      { ...options.chromium, windowSize: [width, height] },
      launch,
    ).catch((error: Error) => {
      throw new Error(`figureToPng: ${path}: ${error.message}`, { cause: error });
    });
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(shotPath);
    } catch {
      throw new Error(
        `figureToPng: Chromium wrote no screenshot for ${path} (exit ${run.code}): ${
          run.stderr.slice(-2000)
        }`,
      );
    }
    if (!PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) {
      throw new Error(`figureToPng: Chromium's output for ${path} is not a PNG`);
    }
    // A file cut short (a crash while writing) has the signature but not the end.
    const end = bytes.length - PNG_END.length;
    if (
      end < PNG_SIGNATURE.length || !PNG_END.every((byte, index) => bytes[end + index] === byte)
    ) {
      throw new Error(
        `figureToPng: Chromium's output for ${path} is not a whole PNG (no IEND chunk at its end)`,
      );
    }
    const directory = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
    // The folders it makes are removed again on a failure: a write cut short (a full disk)
    // left them, empty.
    const removeMade = makeFolders(directory);
    const temporary = `${path}.${Deno.pid}.tmp`;
    try {
      await Deno.writeFile(temporary, bytes);
      await Deno.rename(temporary, path);
    } catch (error) {
      // A write cut short or a path it cannot rename over (a folder): the temporary file was
      // left beside the image, a file where none was asked for.
      await Deno.remove(temporary).catch(() => {});
      removeMade();
      throw error;
    }
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}
