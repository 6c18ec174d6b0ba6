/**
 * The main job's worker processes (scripts/reproduce_workers.ts): the arguments and count they get,
 * that each worker's lines arrive whole and labelled, with each worker's exit status, and that a
 * failed worker is named and fails the run. The sharing of cells itself is the claims'
 * (tests/experiments/claims_test.ts); CI's reproduce-quick stage runs the quick grid with two
 * processes and the Slurm stage compares it cell by cell.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  joinWorkers,
  MAX_WORKERS,
  startWorkers,
  stopWhenMainProcessGone,
  whenMainProcessGone,
  WORKER_FLAG,
  workerArgs,
  workerCount,
  workerLog,
  workerLogPath,
  type Workers,
} from "../../scripts/reproduce_workers.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("workerArgs drops --workers in both spellings and marks the worker", () => {
  assertEquals(workerArgs(["--all", "--workers", "3", "--seeds", "0"]), [
    "--all",
    "--seeds",
    "0",
    WORKER_FLAG,
  ]);
  assertEquals(workerArgs(["--workers=2", "--select"]), ["--select", WORKER_FLAG]);
  assertEquals(workerArgs([]), [WORKER_FLAG]);
});

Deno.test("workerCount: the given count in range, else the default; bad values name the range", () => {
  assertEquals(workerCount(undefined, 2), 2);
  assertEquals(workerCount(undefined, 0), 1);
  assertEquals(workerCount(undefined, 1000), MAX_WORKERS);
  assertEquals(workerCount("1", 16), 1);
  assertEquals(workerCount("4", 2), 4);
  // Number() read "0x2", "1e1", "2.0" and "0b11" as 2, 10, 2 and 3, which docs/configuration.md
  // says every command refuses.
  const notation = ["0x2", "1e1", "2.0", "0b11", " 2", "2 ", "+2", "9".repeat(20)];
  for (const text of [...notation, "0", "-1", "1.5", "", "two", String(MAX_WORKERS + 1)]) {
    assertThrows(
      () => workerCount(text, 2),
      UsageError,
      `--workers ${text}: must be an integer in 1..${MAX_WORKERS}`,
    );
  }
});

Deno.test("startWorkers: every line whole and labelled by its worker, each exit status", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/echo.ts`;
    // Writes a line in two pieces cut inside a two-byte character, a last line without a
    // newline, and exits with status 3 when asked to fail: what the main process must pass on.
    await Deno.writeTextFile(
      script,
      `const encoder = new TextEncoder();
const text = encoder.encode("first café\\nargs " + Deno.args.join(" ") + "\\nlast");
const cut = encoder.encode("first caf").length + 1;
await Deno.stdout.write(text.subarray(0, cut));
await new Promise((resolve) => setTimeout(resolve, 50));
await Deno.stdout.write(text.subarray(cut));
console.error("to stderr");
if (Deno.args.includes("--fail")) Deno.exit(3);
`,
    );
    const lines: string[] = [];
    const workers = startWorkers({
      count: 2,
      runArgs: ["run", "--no-prompt", script],
      scriptArgs: ["--x", WORKER_FLAG],
      writeLine: (worker, line) => lines.push(`${worker}: ${line}`),
    });
    assertEquals(await workers.exited, [0, 0]);
    for (const worker of [2, 3]) {
      assertEquals(
        lines.filter((line) => line.startsWith(`${worker}: `)).sort(),
        [
          `${worker}: args --x ${WORKER_FLAG}`,
          `${worker}: first café`,
          `${worker}: last`,
          `${worker}: to stderr`,
        ],
      );
    }
    const failing = startWorkers({
      count: 1,
      runArgs: ["run", "--no-prompt", script],
      scriptArgs: ["--fail"],
      writeLine: () => {},
    });
    assertEquals(await failing.exited, [3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("joinWorkers: false, with a line naming each worker that failed and its status", async () => {
  const exiting = (codes: number[]): Workers => ({
    exited: Promise.resolve(codes),
    stop() {},
    stopAndWait: () => Promise.resolve(true),
  });
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  // Workers are numbered from 2: the main process is worker 1.
  assertEquals(await joinWorkers(exiting([0, 3, 0, 143]), log), false);
  assertEquals(lines, ["worker 3 exited with status 3", "worker 5 exited with status 143"]);
  lines.length = 0;
  assertEquals(await joinWorkers(exiting([0, 0]), log), true);
  assertEquals(await joinWorkers(undefined, log), true);
  assertEquals(lines, []);
});

Deno.test("stopAndWait: SIGTERM to every worker, true once all exited, false past the limit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A worker that exits on SIGTERM (a Deno process without a listener), and one that exits only
    // 1 s after it.
    const script = `${dir}/wait.ts`;
    await Deno.writeTextFile(
      script,
      `if (Deno.args.includes("--ignore")) {
  Deno.addSignalListener("SIGTERM", () => setTimeout(() => Deno.exit(0), 1000));
}
console.log("started");
setInterval(() => {}, 60_000);
`,
    );
    const start = (scriptArgs: string[]) => {
      const started = Promise.withResolvers<void>();
      const workers = startWorkers({
        count: 1,
        runArgs: ["run", "--no-prompt", script],
        scriptArgs,
        writeLine: (_worker, line) => line === "started" && started.resolve(),
      });
      return { workers, started: started.promise };
    };
    const obedient = start([]);
    await obedient.started;
    assertEquals(await obedient.workers.stopAndWait(30), true);
    const stubborn = start(["--ignore"]);
    await stubborn.started;
    assertEquals(await stubborn.workers.stopAndWait(0.5), false);
    assertEquals(await stubborn.workers.exited, [0]);
    // The limit is in seconds: 20 s covers the 1 s exit (20 ms would not).
    const slow = start(["--ignore"]);
    await slow.started;
    assertEquals(await slow.workers.stopAndWait(20), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a worker's lines go to stderr while its main process lives, then to workers.log", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const log = workerLog(resultsDir);
    const main = new TransformStream<Uint8Array, Uint8Array>();
    const stopped = Promise.withResolvers<void>();
    stopWhenMainProcessGone(log, () => {
      log.line("SIGTERM: gave up 1 claim(s)");
      stopped.resolve();
    }, main.readable);
    log.line("printed by the main process");
    assertThrows(() => Deno.statSync(workerLogPath(resultsDir)), Deno.errors.NotFound);
    // The pipe from the main process closes: it is gone.
    await main.writable.close();
    await stopped.promise;
    const lines = Deno.readTextFileSync(workerLogPath(resultsDir)).trimEnd().split("\n");
    assertEquals(lines.length, 2, lines.join("\n"));
    assertStringIncludes(lines[0], `pid ${Deno.pid}: reproduce: the main process is gone;`);
    assertStringIncludes(lines[1], `pid ${Deno.pid}: SIGTERM: gave up 1 claim(s)`);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("whenMainProcessGone: a pipe whose read fails (broken) is a gone main process too", async () => {
  const gone = Promise.withResolvers<void>();
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("broken pipe"));
    },
  });
  // Reading it ends in an error, not at its end: the main process is gone all the same.
  whenMainProcessGone(() => gone.resolve(), broken);
  await gone.promise;
});

Deno.test("workerLog: a line to a results folder that cannot be written is dropped, not thrown", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    // The folder is gone: appending to its workers.log fails (NotFound), and the worker stopping
    // after its main process died has nowhere to report that.
    const log = workerLog(`${resultsDir}/removed`);
    log.mainGone();
    log.line("reproduce: the main process is gone");
    assertThrows(() => Deno.statSync(workerLogPath(`${resultsDir}/removed`)), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("stopAndWait: once the workers exited in time, no timer of its limit is left pending", async () => {
  // A pending timer of the limit kept a process that ends without Deno.exit alive for the whole
  // limit (30 s in reproduce) after its workers were gone. The test's own timers are counted.
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  type TimerId = ReturnType<typeof set>;
  const pending = new Set<TimerId>();
  const counted = (handler: () => void, ms?: number): TimerId => {
    const id = set(() => {
      pending.delete(id);
      handler();
    }, ms);
    pending.add(id);
    return id;
  };
  globalThis.setTimeout = counted as unknown as typeof globalThis.setTimeout;
  globalThis.clearTimeout = ((id?: TimerId) => {
    if (id !== undefined) pending.delete(id);
    clear(id);
  }) as unknown as typeof globalThis.clearTimeout;
  try {
    const workers = startWorkers({
      count: 1,
      runArgs: ["eval", "0"],
      scriptArgs: [],
      writeLine: () => {},
    });
    assertEquals(await workers.exited, [0]);
    assertEquals(await workers.stopAndWait(600), true);
    assertEquals(pending.size, 0);
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
    for (const id of pending) clear(id);
  }
});

Deno.test({
  name: "startWorkers: exited waits for the last line a worker's output pipe carries",
  // The worker's own end is seen through /proc.
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // The worker leaves a process of its own on its stdout (as a worker's child may), which
      // prints only once the worker itself has exited and been reaped: exited resolved on the
      // worker's status alone, before that line reached writeLine.
      const script = `${dir}/leaves_a_child.ts`;
      await Deno.writeTextFile(
        script,
        `const gone = "while (true) { try { Deno.statSync('/proc/${"${Deno.pid}"}'); } catch { break; } " +
  "await new Promise((resolve) => setTimeout(resolve, 20)); } console.log('after the worker');";
new Deno.Command(Deno.execPath(), { args: ["eval", gone], stdin: "null" }).spawn().unref();
console.log("the worker exits");
Deno.exit(0);
`,
      );
      const lines: string[] = [];
      const workers = startWorkers({
        count: 1,
        runArgs: ["run", "-A", script],
        scriptArgs: [],
        writeLine: (_worker, line) => lines.push(line),
      });
      assertEquals(await workers.exited, [0]);
      assertEquals(lines, ["the worker exits", "after the worker"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
