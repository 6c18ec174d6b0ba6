/**
 * Cell claims carry host, boot, process start time and a heartbeat; stale claims are taken over
 * (old heartbeat, dead or reused pid, earlier boot, this process's pid from an earlier process),
 * live ones are not. A process stopped by SIGINT or SIGTERM gives up its own claims (and its
 * workers theirs) before it exits, and leaves other processes' claims and the checkpoints alone.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  type CellClaim,
  CLAIM_STALE_SECONDS,
  claimStaleness,
  HEARTBEAT_SECONDS,
  processStartTime,
} from "../../lib/experiments/cell_claim.ts";
import {
  releaseHeldClaims,
  SIGNAL_EXIT_STATUS,
  type StopSignal,
} from "../../lib/experiments/claim_release.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { workerLogPath } from "../../scripts/reproduce_workers.ts";
import { temporaryPathOf } from "../../lib/data/atomic_write.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import { isIgnoredByGit } from "../_git_ignore.ts";
import { type ScratchFolder, scratchFolder } from "../_made_folders.ts";
import { withStore } from "./_in_temp_dir.ts";

const linux = Deno.build.os === "linux";
const bootId = linux ? Deno.readTextFileSync("/proc/sys/kernel/random/boot_id").trim() : undefined;

function writeClaim(store: ResultStore, key: string, claim: CellClaim): void {
  Deno.writeTextFileSync(store.claimPathOf(key), JSON.stringify(claim));
}

/** Writes `claim` under key "k" and asserts that this process takes it over (then releases it). */
function assertTakenOver(store: ResultStore, claim: CellClaim): void {
  writeClaim(store, "k", claim);
  assertEquals(store.claim("k"), undefined, "taken over");
  store.release("k");
}

/** A fresh claim of pid 1 (alive on Linux: init) on this host, with the given fields changed. */
function claimOfPid1(fields: Partial<CellClaim>): CellClaim {
  const now = new Date().toISOString();
  return { pid: 1, hostname: Deno.hostname(), since: now, heartbeat: now, ...fields };
}

/** The permission flags of the `reproduce` task (deno.json), which the probes run with. */
function reproduceTaskFlags(): string[] {
  const config = JSON.parse(
    Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  const words = config.tasks.reproduce.split(/\s+/);
  return words.slice(words.indexOf("run") + 1).filter((word) => word.startsWith("--"));
}

const root = new URL("../../", import.meta.url).pathname;

/**
 * A new folder under ./results, the only place the task's permissions let the probes write; its
 * `remove()` also removes ./results if this made it (it stayed, empty, in a fresh checkout).
 */
function scratchDirectory(): ScratchFolder {
  return scratchFolder(`${root}results`, "claims-test-");
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

Deno.test(
  "a claim records host, boot id, process start time and a heartbeat",
  { ignore: !linux },
  withStore((store) => {
    assertEquals(store.claim("k"), undefined);
    const claim = store.claimOf("k")!;
    assertEquals(claim.pid, Deno.pid);
    assertEquals(claim.hostname, Deno.hostname());
    assertEquals(claim.bootId, bootId);
    assertEquals(claim.processStart, processStartTime(Deno.pid));
    assert(Date.parse(claim.heartbeat!) > Date.now() - 60_000);
    // This process's own live claim is not stale: a second claim names it.
    assertEquals(store.claim("k")?.pid, Deno.pid);
    store.release("k");
    assertEquals(store.claimOf("k"), undefined);
  }),
);

Deno.test(
  "a claim whose heartbeat is older than the limit is taken over, on any host",
  withStore((store) => {
    const old: CellClaim = {
      pid: 1,
      hostname: "another-host",
      since: hoursAgo(3),
      heartbeat: hoursAgo(2),
    };
    assert(claimStaleness(old)?.includes("heartbeat"));
    writeClaim(store, "k", old);
    assertEquals(store.claim("k"), undefined, "taken over");
    assertEquals(store.claimOf("k")?.pid, Deno.pid);
    store.release("k");
    // A recent heartbeat on another host is respected.
    const recent: CellClaim = { ...old, heartbeat: new Date().toISOString() };
    writeClaim(store, "k2", recent);
    assertEquals(store.claim("k2")?.hostname, "another-host");
  }),
);

Deno.test(
  "the stale limit is a setting of the store",
  withStore((store) => {
    const twoMinutes: CellClaim = {
      pid: 1,
      hostname: "another-host",
      since: hoursAgo(1),
      heartbeat: hoursAgo(1 / 30),
    };
    writeClaim(store, "k", twoMinutes);
    assertEquals(store.claim("k")?.hostname, "another-host", "2 min < the default limit");
    const strict = new ResultStore(store.directory, { staleSeconds: 60 });
    assertEquals(strict.claim("k"), undefined, "2 min > a 60 s limit");
    strict.release("k");
  }),
);

Deno.test(
  "this process's own pid in a claim of an earlier process is stale, not 'running'",
  { ignore: !linux },
  withStore((store) => {
    const mine = processStartTime(Deno.pid)!;
    const earlier: CellClaim = {
      pid: Deno.pid,
      hostname: Deno.hostname(),
      since: new Date().toISOString(),
      bootId,
      processStart: mine - 1,
      heartbeat: new Date().toISOString(),
    };
    assert(claimStaleness(earlier)?.includes("another process"));
    assertTakenOver(store, earlier);
    // The same without a start time (a claim of an older version, e.g. before a restart).
    const legacy: CellClaim = { pid: Deno.pid, hostname: Deno.hostname(), since: "then" };
    assert(claimStaleness(legacy) !== undefined);
    assertTakenOver(store, legacy);
  }),
);

Deno.test(
  "a claim from an earlier boot of this host is stale even if its pid is alive",
  { ignore: !linux },
  withStore((store) => {
    const claim = claimOfPid1({
      bootId: "00000000-0000-0000-0000-000000000000",
      processStart: processStartTime(1),
    });
    assertEquals(claimStaleness(claim), "it is from an earlier boot of this host");
    assertTakenOver(store, claim);
  }),
);

Deno.test(
  "a reused pid (live process, other start time) does not keep a claim alive",
  { ignore: !linux },
  withStore((store) => {
    const claim = claimOfPid1({ bootId, processStart: processStartTime(1)! + 12345 });
    assert(claimStaleness(claim)?.includes("another process"));
    assertTakenOver(store, claim);
  }),
);

Deno.test(
  "a live process's claim (matching start time, fresh heartbeat) is not taken over",
  { ignore: !linux },
  withStore(async (store) => {
    const child = new Deno.Command("sleep", { args: ["30"], stdout: "null" }).spawn();
    try {
      const claim: CellClaim = {
        pid: child.pid,
        hostname: Deno.hostname(),
        since: new Date().toISOString(),
        bootId,
        processStart: processStartTime(child.pid),
        heartbeat: new Date().toISOString(),
      };
      assertEquals(claimStaleness(claim), undefined);
      writeClaim(store, "k", claim);
      assertEquals(store.claim("k")?.pid, child.pid);
      // heartbeat() and release() leave another process's claim alone.
      store.heartbeat("k");
      store.release("k");
      assertEquals(store.claimOf("k"), claim);
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    assert(claimStaleness(store.claimOf("k")!)?.includes("not running"));
    assertEquals(store.claim("k"), undefined, "taken over once the process is gone");
    store.release("k");
  }),
);

Deno.test(
  "heartbeat: refreshed by heartbeat() and by the keepAlive timer",
  withStore(async (store) => {
    assertEquals(store.claim("k"), undefined);
    const path = store.claimPathOf("k");
    const claim = store.claimOf("k")!;
    Deno.writeTextFileSync(path, JSON.stringify({ ...claim, heartbeat: hoursAgo(5) }));
    store.heartbeat("k");
    assert(Date.parse(store.claimOf("k")!.heartbeat!) > Date.now() - 60_000);
    Deno.writeTextFileSync(path, JSON.stringify({ ...claim, heartbeat: hoursAgo(5) }));
    const stop = store.keepAlive("k", 0.05);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    const beat = store.claimOf("k")!.heartbeat!;
    assert(Date.parse(beat) > Date.now() - 60_000, `heartbeat ${beat} not refreshed`);
    store.release("k");
  }),
);

Deno.test(
  "a process with the reproduce task's scoped permissions (no /proc) does not take a live claim",
  async () => {
    // Deno reads /proc only with --allow-all: under the task's permissions the process checks are
    // unknown and must not declare a running claimant gone (two processes would train one cell).
    const flags = reproduceTaskFlags();
    const scratch = scratchDirectory();
    const directory = scratch.path;
    try {
      const store = new ResultStore(directory);
      assertEquals(store.claim("live"), undefined);
      const probe = (key: string) =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", ...flags, "tests/experiments/_claim_probe.ts", directory, key],
          cwd: root,
          stdout: "piped",
          stderr: "piped",
        }).output();
      const live = await probe("live");
      assert(live.success, new TextDecoder().decode(live.stderr));
      const holder = JSON.parse(new TextDecoder().decode(live.stdout)) as CellClaim | null;
      assertEquals(
        holder?.pid,
        Deno.pid,
        `the live claim is reported, not taken over: ${new TextDecoder().decode(live.stdout)}`,
      );
      assertEquals(store.claimOf("live")?.pid, Deno.pid);
      // A claim with an old heartbeat is still taken over there.
      writeClaim(store, "old", {
        pid: 1,
        hostname: Deno.hostname(),
        since: hoursAgo(3),
        heartbeat: hoursAgo(2),
      });
      const old = await probe("old");
      assertEquals(JSON.parse(new TextDecoder().decode(old.stdout)), null);
      store.release("live");
    } finally {
      scratch.remove();
    }
  },
);

Deno.test(
  "a SIGKILLed process's claim is taken over within minutes under the task's permissions (no /proc)",
  { ignore: Deno.build.os === "windows" },
  async () => {
    // Its heartbeat alone tells: before, a killed process's cell stayed blocked for 30 minutes.
    assert(CLAIM_STALE_SECONDS <= 5 * 60, `${CLAIM_STALE_SECONDS} s`);
    assert(CLAIM_STALE_SECONDS >= 5 * HEARTBEAT_SECONDS, "a live holder misses no take-over");
    const scratch = scratchDirectory();
    const directory = scratch.path;
    const probe = async (key: string) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...reproduceTaskFlags(), "tests/experiments/_claim_probe.ts", directory, key],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert(output.success, new TextDecoder().decode(output.stderr));
      return JSON.parse(new TextDecoder().decode(output.stdout)) as CellClaim | null;
    };
    try {
      const store = new ResultStore(directory);
      const { child, output } = await startHolder(directory, "k", false);
      child.kill("SIGKILL");
      await child.status;
      await output();
      const left = store.claimOf("k")!;
      assertEquals((await probe("k"))?.pid, child.pid, "a fresh heartbeat is respected");
      // Its last heartbeat a little over the limit ago (as if that time had passed).
      const beat = new Date(Date.now() - (CLAIM_STALE_SECONDS + 20) * 1000).toISOString();
      writeClaim(store, "k", { ...left, since: beat, heartbeat: beat });
      assertEquals(await probe("k"), null, "taken over");
    } finally {
      scratch.remove();
    }
  },
);

Deno.test(
  "releaseHeldClaims gives up this process's claims in every store, and only those",
  withStore((store) => {
    const second = new ResultStore(`${store.directory}/second`);
    assertEquals(store.claim("held"), undefined);
    assertEquals(second.claim("held too"), undefined);
    assertEquals(store.claim("released"), undefined);
    store.release("released");
    // A claim of this process that another process took over since (its heartbeat went stale).
    assertEquals(store.claim("taken over"), undefined);
    const other: CellClaim = {
      pid: 1,
      hostname: Deno.hostname(),
      since: new Date().toISOString(),
      heartbeat: new Date().toISOString(),
      token: "another process",
    };
    writeClaim(store, "taken over", other);
    // Another live process's claim, and the checkpoint of an unfinished cell.
    writeClaim(store, "theirs", other);
    const checkpoint = `${store.directory}/checkpoint.json`;
    Deno.writeTextFileSync(checkpoint, "{}");

    assertEquals(
      releaseHeldClaims().sort(),
      [store.claimPathOf("held"), second.claimPathOf("held too")].sort(),
    );
    assertEquals(store.claimOf("held"), undefined);
    assertEquals(second.claimOf("held too"), undefined);
    assertEquals(store.claimOf("taken over"), other);
    assertEquals(store.claimOf("theirs"), other);
    assertEquals(Deno.readTextFileSync(checkpoint), "{}");
    assertEquals(releaseHeldClaims(), [], "nothing is held any more");
  }),
);

/** A probe holding claims (_claim_holder_probe.ts), started with the reproduce task's flags. */
async function startHolder(directory: string, key: string, withWorker: boolean) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...reproduceTaskFlags(),
      "tests/experiments/_claim_holder_probe.ts",
      directory,
      key,
      ...(withWorker ? ["--with-worker"] : []),
    ],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  while (!stdout.includes(`held ${key}\n`)) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(`the probe stopped before holding ${key}:\n${stdout}\n${await stderr}`);
    }
    stdout += value;
  }
  const rest = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      stdout += read.value;
    }
    return stdout;
  })();
  return { child, output: async () => `${await rest}\n${await stderr}` };
}

for (const signal of ["SIGTERM", "SIGINT"] as StopSignal[]) {
  Deno.test(
    `a process stopped by ${signal} gives up its claims (its workers' too), nothing else`,
    { ignore: Deno.build.os === "windows" },
    async () => {
      const scratch = scratchDirectory();
      const directory = scratch.path;
      try {
        const store = new ResultStore(directory);
        // Another process that still runs its cell, and the checkpoint of the stopped cell.
        const theirs: CellClaim = {
          pid: 1,
          hostname: Deno.hostname(),
          since: new Date().toISOString(),
          heartbeat: new Date().toISOString(),
          token: "another live process",
        };
        writeClaim(store, "theirs", theirs);
        const checkpoint = `${directory}/checkpoint.json`;
        Deno.writeTextFileSync(checkpoint, "{}");
        for (const withWorker of [false, true]) {
          const key = `mine-${withWorker ? "with" : "without"}-worker`;
          const { child, output } = await startHolder(directory, key, withWorker);
          assertEquals(store.claimOf(key)?.pid, child.pid);
          if (withWorker) assert(store.claimOf(`${key}-worker`) !== undefined, "the worker holds");
          child.kill(signal);
          const status = await child.status;
          const printed = await output();
          assertEquals(
            [status.code, status.signal],
            [SIGNAL_EXIT_STATUS[signal], null],
            `exits by itself with ${SIGNAL_EXIT_STATUS[signal]}, not killed:\n${printed}`,
          );
          assertEquals(store.claimOf(key), undefined, `its claim is gone:\n${printed}`);
          if (withWorker) {
            assertEquals(store.claimOf(`${key}-worker`), undefined, `the worker's:\n${printed}`);
            assertStringIncludes(printed, "[worker] SIGTERM: gave up 1 claim(s)");
            // Claimed while it waited for its worker: given up too (the release comes last).
            assertEquals(store.claimOf(`${key}-next`), undefined, `the next cell's:\n${printed}`);
          }
          assertStringIncludes(printed, `${signal}: gave up ${withWorker ? 2 : 1} claim(s)`);
          assertEquals(store.claimOf("theirs"), theirs, "another process's claim stays");
          assertEquals(Deno.readTextFileSync(checkpoint), "{}", "the checkpoint stays");
        }
      } finally {
        scratch.remove();
      }
    },
  );
}

Deno.test(
  "a worker whose main process is SIGKILLed gives up its claims, exits and says so in workers.log",
  { ignore: Deno.build.os !== "linux" },
  async () => {
    const scratch = scratchDirectory();
    const directory = scratch.path;
    try {
      const store = new ResultStore(directory);
      const { child, output } = await startHolder(directory, "main", true);
      const worker = store.claimOf("main-worker")!.pid;
      child.kill("SIGKILL");
      await child.status;
      const printed = await output();
      // Before, the worker trained on as an orphan (its cells held) until its own end.
      let waited = 0;
      while (store.claimOf("main-worker") !== undefined && waited < 15_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        waited += 100;
      }
      assertEquals(store.claimOf("main-worker"), undefined, `the worker's claim:\n${printed}`);
      while (processStartTime(worker) !== undefined && waited < 20_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        waited += 100;
      }
      assertEquals(processStartTime(worker), undefined, `worker ${worker} still runs`);
      assertEquals(store.claimOf("main")?.pid, child.pid, "the killed process's claim stays");
      // Before, these lines went to the worker's stderr, a pipe to the dead main process: lost.
      const log = Deno.readTextFileSync(workerLogPath(directory));
      assertStringIncludes(log, `pid ${worker}: reproduce: the main process is gone;`);
      assertStringIncludes(log, `pid ${worker}: SIGTERM: gave up 1 claim(s)`);
    } finally {
      scratch.remove();
    }
  },
);

Deno.test(".gitignore: what claims and killed writers leave in the results of record is never committed", () => {
  const scratch = Deno.makeTempDirSync();
  try {
    // The names the store gives, moved to the records' cells folder.
    const store = new ResultStore(scratch);
    const key = "full/MovieLens/SASRec/seed=0";
    const inRecords = (path: string) => path.replace(scratch, `${RECORDS_DIR.full}/cells`);
    const claim = store.claimPathOf(key);
    const keptModel = `${RECORDS_DIR.full}/models/full__MovieLens__Demure-SASRec__seed=0`;
    const leftovers = [
      inRecords(claim),
      inRecords(`${claim}.lock`),
      inRecords(`${claim}.123-456.stale`),
      inRecords(temporaryPathOf(claim)),
      inRecords(temporaryPathOf(store.pathOf(key))),
      // A kept model that may be committed: the temporary of its training file is not.
      temporaryPathOf(`${keptModel}/training.json`),
      // What a worker whose main process is gone says, in the results folder it ran in.
      workerLogPath(RECORDS_DIR.full),
      workerLogPath(RECORDS_DIR.quick),
    ];
    for (const path of leftovers) assert(isIgnoredByGit(path), `${path} must be ignored`);
    assert(!isIgnoredByGit(inRecords(store.pathOf(key))), "a cell's result is committed");
    assert(!isIgnoredByGit(`${keptModel}/training.json`), "so is the kept model's training file");
  } finally {
    Deno.removeSync(scratch, { recursive: true });
  }
});
