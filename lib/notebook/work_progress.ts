import { jupyterOrNull } from "../util/jupyter.ts";
import {
  throttledWorkProgress,
  timeLeftPhrase,
  type WorkProgress,
  type WorkProgressListener,
  workRate,
  type WorkUnit,
} from "../util/work_progress.ts";
import { createProgress, type ProgressEvent } from "./progress.ts";
import {
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/**
 * The progress line's view of a long piece of work (an evaluation's users, a file's bytes): parts
 * done of all in `unit` (one decimal when scaled, as MiB), the rate, the time so far and left.
 *
 * @example
 * ```ts
 * workProgressEvent({ done: 512, total: 2048, seconds: 4 }, USERS);
 * // { step: 512, total: 2048, metrics: { "users/s": 128 }, note: "users, 4.0 s, about 12 s of it left" }
 * ```
 */
export function workProgressEvent(progress: WorkProgress, unit: WorkUnit): ProgressEvent {
  const scale = unit.scale ?? 1;
  const shown = (parts: number) => scale === 1 ? parts : Number((parts / scale).toFixed(1));
  const rate = workRate(progress, unit);
  const { done, total, seconds } = progress;
  return {
    step: shown(done),
    total: shown(total),
    metrics: rate === undefined ? {} : { [`${unit.name}/s`]: rate },
    note: `${unit.name}, ${seconds.toFixed(1)} s${timeLeftPhrase(done, total, seconds)}`,
  };
}

/** Options of {@linkcode workProgress}. */
export interface WorkProgressOptions {
  /** Terminal only: seconds between lines at most (default 5); work done sooner prints none. */
  everySeconds?: number;
  /** Terminal only: where lines go. Default `console.error`: stdout stays a tool's to read. */
  print?: (line: string) => void;
}

const WORK_PROGRESS_OPTION_NAMES: SettingNames<WorkProgressOptions> = Object.freeze({
  everySeconds: true,
  print: true,
});

/**
 * Throws a `SettingError` naming the option (a misspelt one, a null `print`, which printed to
 * stderr, or an `everySeconds` that is not a number >= 0, which throttledWorkProgress reported
 * under its own name): checked in a notebook too, where neither is used.
 */
function checkWorkProgressOptions(options: WorkProgressOptions): void {
  checkSettingNames("WorkProgressOptions", options, WORK_PROGRESS_OPTION_NAMES);
  const every: unknown = options.everySeconds;
  if (every !== undefined && (typeof every !== "number" || !(every >= 0))) {
    throw new SettingError("WorkProgressOptions.everySeconds", every, "a number >= 0");
  }
  checkOptionalFunction("WorkProgressOptions.print", options.print, "a function of a line");
}

/**
 * A live progress line of one long piece of work: pass `onProgress` to `evaluateRanking` (its
 * fourth argument) or to a reader of a data file, then `await done()`. In a notebook it updates in
 * place at each event; in a terminal it prints to stderr, a line every few seconds at most and
 * none for work done sooner ({@linkcode throttledWorkProgress}). Leave it out for quiet.
 *
 * @example
 * ```ts
 * const progress = workProgress("evaluation (test)", USERS);
 * const result = await evaluateRanking(modelScorer(model), split, { stage: "test" }, progress.onProgress);
 * await progress.done();
 * ```
 */
export function workProgress(
  label: string,
  unit: WorkUnit,
  options: WorkProgressOptions = {},
): { onProgress: WorkProgressListener; done: () => Promise<void> } {
  checkWorkProgressOptions(options);
  const line = createProgress({ label, print: options.print ?? ((text) => console.error(text)) });
  const show: WorkProgressListener = (progress) => line.report(workProgressEvent(progress, unit));
  return {
    onProgress: jupyterOrNull() === null ? throttledWorkProgress(show, options.everySeconds) : show,
    done: line.done,
  };
}
