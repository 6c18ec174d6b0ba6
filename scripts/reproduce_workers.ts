/**
 * Worker processes of the main job: `deno task reproduce --workers N` runs the cells in N processes
 * on one results folder. They share the plan's cells through the result store's claims, the same
 * mechanism that two processes started by hand and the Slurm array tasks use; only the first process
 * (the one the user started) compares with the records and writes the report.
 *
 * Why processes and not BLAS threads: only the matrix products use a second OpenBLAS thread; the
 * rest of a step (gathers, the wasm kernels, the optimiser) and the evaluation run on one thread. On
 * this 2-core machine a second thread made a SASRec step 1.5x faster (354.7 to 229.8 ms,
 * docs/performance.md), while two one-thread processes ran the main job's 78 min of training in
 * 39.6 min of wall time (192 % CPU, 2026-12-02, idle). One thread per process is also the
 * environment of the records, so a verification run with workers reproduces them bit for bit. A
 * user who sets `DEMURE_BLAS_THREADS` keeps their value.
 *
 * @example
 * ```ts
 * const args = workerArgs(["--all", "--workers", "2"]); // ["--all", "--worker"]
 * ```
 */
import { integerOption } from "./cli/options.ts";

/** The flag that marks a worker started by a main process (not for users). */
export const WORKER_FLAG = "--worker";

/** Most worker processes `--workers` accepts. */
export const MAX_WORKERS = 64;

/**
 * The worker count of a run: `--workers` when given (an integer in 1..{@linkcode MAX_WORKERS}),
 * else `defaultCount`. A bad value (one that is not plain decimal digits included) is a
 * `UsageError` (scripts/cli/options.ts) naming the option, the value and the range.
 */
export function workerCount(given: string | undefined, defaultCount: number): number {
  if (given === undefined) return Math.max(1, Math.min(MAX_WORKERS, defaultCount));
  // The scripts' one reading of an integer: `Number` took "0x2", "1e1", "2.0" and "0b11".
  return integerOption("workers", given, 1, MAX_WORKERS);
}

/**
 * The arguments of a worker: the main process's own arguments without `--workers` (both the
 * `--workers N` and the `--workers=N` spelling), plus {@linkcode WORKER_FLAG}.
 */
export function workerArgs(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--workers") {
      i++;
      continue;
    }
    if (args[i].startsWith("--workers=")) continue;
    kept.push(args[i]);
  }
  return [...kept, WORKER_FLAG];
}

/** Worker processes started by {@linkcode startWorkers}. */
export interface Workers {
  /** Resolves with each worker's exit status once all have exited. */
  exited: Promise<number[]>;
  /** Stops every worker still running (SIGTERM). */
  stop(): void;
  /**
   * Stops every worker (SIGTERM: each gives up its claims and exits) and waits for them at most
   * `seconds`; true when all exited in time.
   */
  stopAndWait(seconds: number): Promise<boolean>;
}

/** Settings of {@linkcode startWorkers}. */
export interface WorkerOptions {
  /** How many workers to start (the main process is not counted). */
  count: number;
  /** The deno binary (default `Deno.execPath()`). */
  deno?: string;
  /** Arguments of `deno` before the workers' own: `run`, the permission flags and the script. */
  runArgs: readonly string[];
  /** The workers' script arguments ({@linkcode workerArgs}). */
  scriptArgs: readonly string[];
  /** Writes one line of a worker's output; default: to the terminal, prefixed `[worker k]`. */
  writeLine?: (worker: number, line: string) => void;
}

/**
 * Starts `count` workers (numbered from 2: the main process is worker 1). Each line a worker
 * prints reaches `writeLine` whole, so the terminal shows which process trains which cell. The
 * workers inherit the environment (the BLAS thread count among it).
 */
export function startWorkers(options: WorkerOptions): Workers {
  const writeLine = options.writeLine ??
    ((worker: number, line: string) => console.log(`[worker ${worker}] ${line}`));
  const children: Deno.ChildProcess[] = [];
  const finished: Promise<number>[] = [];
  for (let k = 0; k < options.count; k++) {
    const worker = k + 2;
    const child = new Deno.Command(options.deno ?? Deno.execPath(), {
      args: [...options.runArgs, ...options.scriptArgs],
      // Never written: its end closes when this process ends, however (whenMainProcessGone).
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    children.push(child);
    const streams = [child.stdout, child.stderr].map((stream) =>
      forEachLine(stream, (line) => writeLine(worker, line))
    );
    finished.push(Promise.all([child.status, ...streams]).then(([status]) => status.code));
  }
  const exited = Promise.all(finished);
  const stop = () => {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
    }
  };
  return {
    exited,
    stop,
    async stopAndWait(seconds: number): Promise<boolean> {
      stop();
      // lib/util/within.ts's race, written out: reproduce.ts imports this module statically, and
      // no library module may load before its options are read (reproduce_options.ts).
      let timer: ReturnType<typeof setTimeout> | undefined;
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), seconds * 1000)),
      ]);
      clearTimeout(timer);
      return inTime;
    },
  };
}

/**
 * Waits for the workers `started` (none: true at once) to exit; false when one failed, after a
 * line for each that did, numbered as {@linkcode startWorkers} numbers them (from 2).
 */
export async function joinWorkers(
  started: Workers | undefined,
  log: (line: string) => void = console.log,
): Promise<boolean> {
  if (!started) return true;
  const failed = (await started.exited)
    .map((code, index) => ({ code, worker: index + 2 }))
    .filter((exit) => exit.code !== 0);
  for (const exit of failed) log(`worker ${exit.worker} exited with status ${exit.code}`);
  return failed.length === 0;
}

/**
 * In a worker: calls `onGone` once the main process that started it is gone, for whatever reason
 * (SIGKILL and the out-of-memory killer included). The worker's stdin is a pipe from the main
 * process ({@linkcode startWorkers}) that the kernel closes when that process ends, so reading it
 * ends. Before, a worker whose main process was killed trained on as an orphan with no terminal,
 * holding its cells from a rerun. `input` is the stdin (a test passes its own stream).
 */
export function whenMainProcessGone(
  onGone: () => void,
  input: ReadableStream<Uint8Array> = Deno.stdin.readable,
): void {
  (async () => {
    try {
      for await (const _chunk of input) {
        // The main process writes nothing: only the end matters.
      }
    } catch {
      // A broken pipe: gone too.
    }
    onGone();
  })();
}

/** The file of a results folder where workers whose main process is gone say so. */
export function workerLogPath(resultsDir: string): string {
  return `${resultsDir}/workers.log`;
}

/**
 * Where a worker's lines go ({@linkcode workerLog}): to stderr, which the main process prints
 * (`[worker k] ...`), until that process is gone; then to {@linkcode workerLogPath}.
 */
export interface WorkerLog {
  /** Writes one line; never throws (once the main process is gone there is nowhere to say so). */
  line(text: string): void;
  /** From now on the lines go to the file: the main process, and the stderr it read, are gone. */
  mainGone(): void;
}

/**
 * The lines of a process that runs cells in `resultsDir` ({@linkcode WorkerLog}). A worker's stderr
 * is a pipe to its main process, so the lines it wrote once that process was killed (that it
 * stops, which claims it gave up) were lost; they are appended to `workers.log` in the results
 * folder instead, each stamped with the time, host and process id.
 */
export function workerLog(resultsDir: string): WorkerLog {
  let toFile = false;
  return {
    line(text) {
      try {
        if (!toFile) {
          console.error(text);
          return;
        }
        const stamp = `${new Date().toISOString()} ${Deno.hostname()} pid ${Deno.pid}`;
        Deno.writeTextFileSync(workerLogPath(resultsDir), `${stamp}: ${text}\n`, { append: true });
      } catch {
        // A closed terminal or a folder that cannot be written: nowhere left to report it.
      }
    },
    mainGone() {
      toFile = true;
    },
  };
}

/**
 * In a worker: once its main process is gone ({@linkcode whenMainProcessGone}), says so in
 * `log`'s file and calls `stop` (a stop as on SIGTERM: `releaseClaimsOnSignal`'s, whose lines
 * go to `log` too).
 */
export function stopWhenMainProcessGone(
  log: WorkerLog,
  stop: () => void,
  input?: ReadableStream<Uint8Array>,
): void {
  whenMainProcessGone(() => {
    log.mainGone();
    log.line("reproduce: the main process is gone; this worker gives up its claims and stops");
    stop();
  }, input);
}

/** Calls `onLine` with each line of `stream` (the last one even without a newline). */
async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  if (pending !== "") onLine(pending);
}
