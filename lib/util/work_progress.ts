/**
 * Progress inside one long piece of work counted in parts (the users of an evaluation, the bytes
 * of a file being read), and the one home of its terminal line: parts done of all, rate, time so
 * far and time left. A full ranking over every user of a large dataset, or the read of a RecBole
 * `.inter` file of millions of lines, ran for minutes with nothing to show.
 *
 * The work reports to a listener after each of its parts (a chunk of users, a chunk of bytes);
 * without a listener it reports nothing (quiet is the default, and costs nothing). A terminal
 * listener is throttled ({@linkcode throttledWorkProgress}): a line every few seconds at most, and
 * none at all for work done sooner, so small runs print what they printed before.
 *
 * @example
 * ```ts
 * const print = throttledWorkProgress((p) => console.error(workProgressLine("evaluation (test)", USERS, p)));
 * await evaluateRanking(scorer, split, { stage: "test" }, print);
 * // "evaluation (test): 12288/138493 users, 2048 users/s, 6.0 s, about 62 s of it left" (stderr)
 * ```
 */

/** How far one long piece of work is. */
export interface WorkProgress {
  /** Parts done so far (users ranked, bytes read): from 0 to `total`. */
  done: number;
  /** Parts in all. */
  total: number;
  /** Wall time since the work began, in seconds. */
  seconds: number;
}

/** Hears a long piece of work's progress ({@linkcode WorkProgress}). */
export type WorkProgressListener = (progress: WorkProgress) => void;

/** What the parts of a piece of work are, as a progress line names them. */
export interface WorkUnit {
  /** The name shown after the counts, e.g. "users" or "MiB". */
  name: string;
  /** Parts per shown unit (2^20 bytes per MiB); default 1. Scaled counts show one decimal. */
  scale?: number;
}

/** The users of an evaluation, counted one by one. */
export const USERS: WorkUnit = Object.freeze({ name: "users" });

/** The bytes of a file, shown in mebibytes. */
export const MEBIBYTES: WorkUnit = Object.freeze({ name: "MiB", scale: 2 ** 20 });

/** Seconds between two lines of a throttled terminal listener, by default. */
export const WORK_PROGRESS_LINE_SECONDS = 5;

/**
 * `", about N s of it left"`, the time left extrapolated from `done` of `total` parts taking
 * `seconds` (rounded up); empty when nothing or everything is done. The one home of the progress
 * lines' time-left wording (the attribution's lines use it too).
 *
 * @example
 * ```ts
 * timeLeftPhrase(128, 256, 20); // ", about 20 s of it left"
 * timeLeftPhrase(256, 256, 40); // ""
 * ```
 */
export function timeLeftPhrase(done: number, total: number, seconds: number): string {
  return done < total && done > 0
    ? `, about ${Math.ceil(seconds / done * (total - done))} s of it left`
    : "";
}

/** A count in `unit`: whole parts, or one decimal when scaled (MiB). */
function amount(parts: number, unit: WorkUnit): string {
  const scale = unit.scale ?? 1;
  return scale === 1 ? `${parts}` : (parts / scale).toFixed(1);
}

/**
 * Parts per second so far in `unit`, or undefined before any time passed (no rate to say).
 *
 * @example
 * ```ts
 * workRate({ done: 3 * 2 ** 20, total: 2 ** 24, seconds: 2 }, MEBIBYTES); // 1.5
 * ```
 */
export function workRate(progress: WorkProgress, unit: WorkUnit): number | undefined {
  if (!(progress.seconds > 0)) return undefined;
  return progress.done / (unit.scale ?? 1) / progress.seconds;
}

/**
 * The line of a piece of work's progress: label, parts done of all, rate, time so far and, while
 * parts remain, the time left ({@linkcode timeLeftPhrase}).
 *
 * @example
 * ```ts
 * workProgressLine("evaluation (test)", USERS, { done: 512, total: 2048, seconds: 4 });
 * // "evaluation (test): 512/2048 users, 128 users/s, 4.0 s, about 12 s of it left"
 * ```
 */
export function workProgressLine(label: string, unit: WorkUnit, progress: WorkProgress): string {
  const { done, total, seconds } = progress;
  const rate = workRate(progress, unit);
  const rateText = rate === undefined
    ? ""
    : `, ${unit.scale === undefined ? Math.round(rate) : rate.toFixed(1)} ${unit.name}/s`;
  return `${label}: ${amount(done, unit)}/${amount(total, unit)} ${unit.name}${rateText}, ` +
    `${seconds.toFixed(1)} s${timeLeftPhrase(done, total, seconds)}`;
}

/**
 * `listener` throttled for a terminal: it hears an event when `everySeconds` or more passed since
 * the last one it heard (or since the work began), and the last event (all parts done) when it
 * heard one before. Work done within `everySeconds` says nothing at all; a long one says a line
 * every `everySeconds` and its end. Throws a `RangeError` for `everySeconds` not a number >= 0.
 *
 * @example
 * ```ts
 * const onProgress = throttledWorkProgress((p) => console.error(workProgressLine("reading", MEBIBYTES, p)));
 * ```
 */
export function throttledWorkProgress(
  listener: WorkProgressListener,
  everySeconds: number = WORK_PROGRESS_LINE_SECONDS,
): WorkProgressListener {
  // NaN or a negative interval would pass every event, a line per chunk, without a word.
  if (typeof everySeconds !== "number" || !(everySeconds >= 0)) {
    throw new RangeError(
      `throttledWorkProgress: everySeconds must be a number >= 0, got ${everySeconds}`,
    );
  }
  let lastHeard: number | undefined;
  return (progress) => {
    const finished = progress.done >= progress.total;
    const due = progress.seconds - (lastHeard ?? 0) >= everySeconds;
    if (finished ? lastHeard !== undefined || due : due) {
      lastHeard = progress.seconds;
      listener(progress);
    }
  };
}

/**
 * A clock for a piece of work of `total` parts: `report(done)` tells `listener` how far it is with
 * the seconds since this call; nothing to tell without a listener.
 *
 * @example
 * ```ts
 * const report = workProgressReporter(users.length, onProgress);
 * for (const chunk of chunks) { rank(chunk); report(ranked); }
 * ```
 */
export function workProgressReporter(
  total: number,
  listener: WorkProgressListener | undefined,
): (done: number) => void {
  if (listener === undefined) return () => {};
  const started = performance.now();
  return (done) => listener({ done, total, seconds: (performance.now() - started) / 1000 });
}
