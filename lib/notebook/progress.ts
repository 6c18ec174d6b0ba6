import { jupyterOrNull } from "../util/jupyter.ts";
import { liveOutput } from "./_live_output.ts";
import {
  checkInteger,
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** One progress report from a long computation (a trainer's epoch, a sweep's run). */
export interface ProgressEvent {
  /** Steps done so far (e.g. epochs completed). */
  step: number;
  /** Total steps, when known. */
  total?: number;
  /**
   * Shown instead of the step counter and its bar, e.g. "epoch 15 of at most 200": for a total
   * that is only a bound (early stopping ends a run sooner), where a bar would never fill.
   */
  stepText?: string;
  /** Latest numbers to show, e.g. `{ loss: 0.41, "valid NDCG@10": 0.052 }`. */
  metrics?: Record<string, number>;
  /** Free text shown after the numbers, e.g. "early stop". */
  note?: string;
}

/** Configuration of {@linkcode createProgress}. */
export interface ProgressConfig {
  /** Shown first on the line, e.g. "SASRec". */
  label: string;
  /** Total steps when events do not carry one: an integer >= 1. Default: none. */
  total?: number;
  /** Terminal only: print every n-th event (the final one always prints); an integer >= 1.
   * Default: 1. */
  printEvery?: number;
  /** Where terminal lines go. Default: `console.log`. */
  print?: (line: string) => void;
}

/** A live progress line: one output updated in place in a notebook, printed lines elsewhere. */
export interface Progress {
  /** Report an event; usable directly as a trainer's progress callback. */
  report: (event: ProgressEvent) => void;
  /** Wait until every update reached the notebook; rethrows a display failure. */
  done: () => Promise<void>;
}

/**
 * One line of text for an event: label, step counter (and a 20-character bar when the total is
 * known) or the event's `stepText`, metrics with 4 significant digits, then the note.
 *
 * @example
 * ```ts
 * formatProgressLine("SASRec", { step: 5, total: 10, metrics: { loss: 0.123456 } });
 * // "SASRec 5/10 [##########----------] 50% loss=0.1235"
 * ```
 */
export function formatProgressLine(label: string, event: ProgressEvent): string {
  const parts = [label];
  if (event.stepText !== undefined) {
    parts.push(event.stepText);
  } else if (event.total !== undefined && event.total > 0) {
    const fraction = Math.min(1, Math.max(0, event.step / event.total));
    const filled = Math.round(fraction * 20);
    parts.push(
      `${event.step}/${event.total}`,
      `[${"#".repeat(filled)}${"-".repeat(20 - filled)}]`,
      `${Math.round(fraction * 100)}%`,
    );
  } else {
    parts.push(`${event.step}`);
  }
  for (const [name, value] of Object.entries(event.metrics ?? {})) {
    parts.push(`${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);
  }
  if (event.note) parts.push(event.note);
  return parts.join(" ");
}

const PROGRESS_CONFIG_SETTINGS: SettingNames<ProgressConfig> = Object.freeze({
  label: true,
  total: true,
  printEvery: true,
  print: true,
});

/**
 * Throws a `SettingError` for the first setting of `config` out of range. A `printEvery` of 0 or
 * NaN printed no line at all, 1.5 one in three, -1 every one: a progress line that vanished
 * without a word.
 */
function checkProgressConfig(config: ProgressConfig): void {
  checkSettingNames("ProgressConfig", config, PROGRESS_CONFIG_SETTINGS);
  if (typeof config.label !== "string") {
    throw new SettingError("ProgressConfig.label", config.label, "a string");
  }
  if (config.total !== undefined) checkInteger("ProgressConfig.total", config.total, { min: 1 });
  if (config.printEvery !== undefined) {
    checkInteger("ProgressConfig.printEvery", config.printEvery, { min: 1 });
  }
  checkOptionalFunction("ProgressConfig.print", config.print, "a function of a line");
}

/**
 * A progress line. In the Deno Jupyter kernel, the first event creates an output with a
 * `display_id` and later events replace it in place; outside a kernel, events print as lines. A
 * setting out of range is a `SettingError` (`ProgressConfig.printEvery is 0; allowed: ...`).
 *
 * @example
 * ```ts
 * const progress = createProgress({ label: "SASRec", total: 20 });
 * for (let epoch = 1; epoch <= 20; epoch++) progress.report({ step: epoch, metrics: { loss: 1 / epoch } });
 * await progress.done();
 * ```
 */
export function createProgress(config: ProgressConfig): Progress {
  checkProgressConfig(config);
  const jupyter = jupyterOrNull();
  const print = config.print ?? ((line: string) => console.log(line));
  const printEvery = config.printEvery ?? 1;
  const output = jupyter === null ? null : liveOutput(jupyter);
  let eventCount = 0;
  let lastUnprinted: string | null = null;

  const report = (event: ProgressEvent): void => {
    const total = event.total ?? config.total;
    const line = formatProgressLine(config.label, { ...event, total });
    eventCount += 1;
    if (output !== null) {
      output.show(line);
      return;
    }
    const isFinal = total !== undefined && event.step >= total;
    if (eventCount % printEvery === 0 || isFinal) {
      print(line);
      lastUnprinted = null;
    } else {
      lastUnprinted = line;
    }
  };

  const done = async (): Promise<void> => {
    if (output !== null) return await output.done();
    if (lastUnprinted !== null) print(lastUnprinted);
    lastUnprinted = null;
  };

  return { report, done };
}
