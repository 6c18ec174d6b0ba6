/**
 * A claim's lock (`withClaimLock`, lib/experiments/_claim_lock.ts) held by a process that is
 * paused while holding it (Ctrl-Z, SIGSTOP, a suspended batch job, a debugger). Before, every other
 * process sharing the results folder waited for it for good, silently (a blocking flock: its event
 * loop and its own heartbeats stopped too), at its next takeover, release or heartbeat of that
 * cell. Now it waits `lockWaitSeconds` (CLAIM_LOCK_WAIT_SECONDS), then throws
 * ClaimLockTimeoutError naming the lock file and how to find its holder, and the runners end the
 * run with that line. The holder is a real process (_paused_lock_holder.ts), stopped.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { HeldClaim } from "../../lib/experiments/held_claim.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import {
  CLAIM_LOCK_WAIT_SECONDS,
  ClaimLockTimeoutError,
} from "../../lib/experiments/_claim_lock.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { type CellOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { cellStoreOf } from "../../lib/experiments/stored_cells.ts";
import { type PausedLockHolder, pauseLockHolder, withLockWaitsElapsing } from "./_paused_lock.ts";
import { namesIn } from "./_names_in.ts";

await initBackend({ verbose: false });

/** Milliseconds `action` took, and what it threw (it must throw). */
function timedThrow(action: () => unknown): { ms: number; error: Error } {
  const started = performance.now();
  const error = assertThrows(action);
  return { ms: performance.now() - started, error };
}

async function endAll(holders: PausedLockHolder[]): Promise<void> {
  for (const holder of holders) await holder.end();
}

Deno.test(
  "a claim lock held by a paused process: a heartbeat, a release and a takeover give up after " +
    "the store's wait, naming the lock file; once the holder is gone they go through",
  async () => {
    const directory = Deno.makeTempDirSync();
    try {
      const store = new ResultStore(directory, { staleSeconds: 1, lockWaitSeconds: 0.3 });
      assertEquals(store.claim("k"), undefined);
      const mine = store.claimOf("k");
      const old = "2020-01-01T00:00:00.000Z";
      const dead = { pid: 7, hostname: "gone", since: old, heartbeat: old };
      Deno.writeTextFileSync(store.claimPathOf("dead"), JSON.stringify(dead));
      const lock = `${store.claimPathOf("k")}.lock`;
      const deadLock = `${store.claimPathOf("dead")}.lock`;
      const holders = [pauseLockHolder(lock), pauseLockHolder(deadLock)];
      try {
        for (const action of [() => store.heartbeat("k"), () => store.release("k")]) {
          const { ms, error } = timedThrow(action);
          assert(error instanceof ClaimLockTimeoutError, String(error));
          assert(ms >= 300, `gave up after ${ms} ms, before the wait of 300 ms`);
          assertStringIncludes(error.message, `${lock}: this claim lock file was still locked`);
          assertStringIncludes(error.message, "after 0.3 s of waiting");
          assertStringIncludes(error.message, "paused or hung");
          assertStringIncludes(error.message, `fuser -v ${lock}`);
        }
        assertEquals(store.claimOf("k"), mine, "the claim is untouched");
        const takeover = timedThrow(() => store.claim("dead")).error;
        assert(takeover instanceof ClaimLockTimeoutError, String(takeover));
        assertStringIncludes(takeover.message, `${deadLock}: this claim lock file`);
        assertEquals(store.claimOf("dead"), dead, "the stale claim is untouched");
      } finally {
        await endAll(holders);
      }
      // The holders are gone (their lock files left, as by any killed holder): taken at once.
      assertEquals(store.heartbeat("k"), true);
      store.release("k");
      assertEquals(store.claim("dead"), undefined, "taken over");
      store.release("dead");
      assertEquals(namesIn(directory), []);
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  },
);

Deno.test("a claim lock freed while this process waits for it is taken then", async () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory, { lockWaitSeconds: 30 });
    assertEquals(store.claim("k"), undefined);
    const holder = pauseLockHolder(`${store.claimPathOf("k")}.lock`);
    try {
      // Resumed in 0.3 s, the holder exits, which frees its lock, while this process waits.
      const resume = new Deno.Command("sh", {
        args: ["-c", `sleep 0.3; kill -CONT ${holder.pid}`],
      }).spawn();
      const started = performance.now();
      store.release("k");
      const ms = performance.now() - started;
      assert(ms >= 250, `released after ${ms} ms, while the lock was held`);
      assert((await resume.status).success);
    } finally {
      await holder.end();
    }
    assertEquals(store.claimOf("k"), undefined);
    assertEquals(namesIn(directory), []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test(
  "HeldClaim: the timer's heartbeat that waits out the claim lock says so once and stops, and " +
    "the next check throws its error without waiting again",
  async () => {
    const directory = Deno.makeTempDirSync();
    const { error: consoleError } = console;
    const lines: string[] = [];
    console.error = (line: string) => lines.push(line);
    try {
      const store = new ResultStore(directory, { lockWaitSeconds: 0.2 });
      assertEquals(store.claim("k"), undefined);
      const held = new HeldClaim(store, "k", (line) => lines.push(line), 0.05);
      const holder = pauseLockHolder(`${store.claimPathOf("k")}.lock`);
      try {
        await new Promise((resolve) => setTimeout(resolve, 800));
        assertEquals(lines.length, 1, lines.join("\n"));
        assertMatch(lines[0], /^heartbeat of .*k\.claim failed: .*k\.claim\.lock: this claim lock/);
        const first = timedThrow(() => held.check()).error;
        assert(first instanceof ClaimLockTimeoutError, String(first));
        assertStringIncludes(lines[0], first.message);
      } finally {
        held.stop();
        await holder.end();
      }
      // The holder is gone, but the cell stops all the same: the check throws what the timer met.
      assertEquals(timedThrow(() => held.check()).error instanceof ClaimLockTimeoutError, true);
      assertEquals(lines.length, 1, "the timer stopped");
      store.release("k");
    } finally {
      console.error = consoleError;
      Deno.removeSync(directory, { recursive: true });
    }
  },
);

/** A neural cell of the quick grid on MovieLens: three epochs of about 0.7 s. */
function oneCellPlan() {
  const quick = planExperiments("quick");
  const cell = quick.cells.find((c) => c.key === "quick/MovieLens/SASRec-MM/seed=0")!;
  assert(cell && !cell.waitsFor && cell.training.maxEpochs === 3);
  return { plan: { ...quick, cells: [cell] }, cell };
}

Deno.test(
  "runPlan: a claim lock held by a paused process mid-cell ends the run with its error (after " +
    "the default wait), not a failed cell",
  async () => {
    const { plan, cell } = oneCellPlan();
    const resultsDir = Deno.makeTempDirSync();
    let holder: PausedLockHolder | undefined;
    const lines: string[] = [];
    const outcomes: CellOutcome[] = [];
    try {
      const lock = `${cellStoreOf(resultsDir).claimPathOf(cell.key)}.lock`;
      const error = await withLockWaitsElapsing(() =>
        assertRejects(() =>
          runPlan(plan, {
            resultsDir,
            log: (line) => lines.push(line),
            continueOnFailure: true,
            onEpoch: (_, progress) => {
              if (progress.epoch === 1) holder = pauseLockHolder(lock);
            },
            onCellDone: (_, outcome) => outcomes.push(outcome),
          })
        )
      );
      assert(error instanceof ClaimLockTimeoutError, String(error));
      assertStringIncludes(error.message, `${lock}: this claim lock file was still locked after `);
      assertStringIncludes(error.message, `after ${CLAIM_LOCK_WAIT_SECONDS} s of waiting`);
      assertEquals(outcomes, [], "counted as a cell's outcome");
      assertEquals(lines.filter((line) => line.includes("FAILED")), []);
      assert(holder !== undefined, "the cell trained an epoch");
    } finally {
      await holder?.end();
      Deno.removeSync(resultsDir, { recursive: true });
    }
  },
);

Deno.test(
  "reproduce (all cells, and --cell): a claim lock held by a paused process ends it with one " +
    "line naming the lock file, exit 1",
  async () => {
    const { cell } = oneCellPlan();
    const probe = new URL("./_paused_lock_reproduce.ts", import.meta.url).pathname;
    const index = planExperiments("quick").cells.findIndex((c) => c.key === cell.key);
    for (const only of [[], ["--cell", String(index)]]) {
      const resultsDir = Deno.makeTempDirSync();
      const lock = `${cellStoreOf(`${resultsDir}/quick`).claimPathOf(cell.key)}.lock`;
      const holder = pauseLockHolder(lock);
      try {
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", probe, "--quick", ...only, "--results", `${resultsDir}/quick`],
          stdin: "null",
          signal: AbortSignal.timeout(120_000),
        }).output();
        const stderr = new TextDecoder().decode(output.stderr);
        assertEquals(output.code, 1, stderr);
        assertStringIncludes(stderr, `reproduce: ${lock}: this claim lock file was still locked`);
        assert(!stderr.includes("    at "), `no stack: ${stderr}`);
      } finally {
        await holder.end();
        Deno.removeSync(resultsDir, { recursive: true });
      }
    }
  },
);
