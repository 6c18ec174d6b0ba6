/**
 * What lib/experiments/cell_claim.ts decides that the store-level claim tests left open: the
 * heartbeat limit itself is not stale, a claim naming this pid with another process's token is
 * stale, a claim is this process's only on this host, a claim without a token is matched by its
 * start time, a process name holding ") " does not shift `/proc/<pid>/stat`'s fields, and the job
 * of a claim is recorded and named. Mutation round JD (session 45) added: a stale claim is judged and
 * named by its last heartbeat (not its start); another live process's fresh claim on this host is
 * never taken over for lacking a boot id or a start time, nor for its token; and the reason a claim
 * is stale names the claim's own pid.
 */
import { assert, assertEquals } from "@std/assert";
import {
  type CellClaim,
  claimOfThisProcess,
  claimStaleness,
  describeClaimHolder,
  isThisProcess,
  processStartTime,
} from "../../lib/experiments/cell_claim.ts";

/** Whether this process reads `/proc` (Linux, and Deno with --allow-all as the tests run). */
const readsProc = processStartTime(Deno.pid) !== undefined;

Deno.test("claimStaleness: a heartbeat exactly the stale limit old is live; one ms older is stale", () => {
  const beat = Date.parse("2026-01-01T00:00:00.000Z");
  const claim: CellClaim = {
    pid: 1,
    hostname: `not-${Deno.hostname()}`,
    since: new Date(beat).toISOString(),
  };
  assertEquals(claimStaleness(claim, beat + 60_000, 60), undefined);
  assertEquals(
    claimStaleness(claim, beat + 60_001, 60),
    "its last heartbeat (2026-01-01T00:00:00.000Z) is older than 60 s",
  );
});

Deno.test("claimStaleness: a fresh claim of this pid with another process's token is stale", () => {
  if (Deno.build.os !== "linux") return;
  const now = new Date().toISOString();
  const earlier: CellClaim = {
    pid: Deno.pid,
    hostname: Deno.hostname(),
    since: now,
    heartbeat: now,
    token: "an-earlier-process",
  };
  assertEquals(
    claimStaleness(earlier),
    "it names this process's pid but not this process (an earlier process's claim)",
  );
  assertEquals(claimStaleness(claimOfThisProcess()), undefined);
});

Deno.test("isThisProcess: this process's claim is not this process's when it names another host", () => {
  const claim = claimOfThisProcess();
  assertEquals(isThisProcess(claim), true);
  assertEquals(isThisProcess({ ...claim, hostname: `not-${Deno.hostname()}` }), false);
  assertEquals(isThisProcess(undefined), false);
});

Deno.test("isThisProcess: a claim without a token (older versions) is this process's by its start time", () => {
  if (!readsProc) return;
  const { token: _token, ...legacy } = claimOfThisProcess();
  assertEquals(isThisProcess(legacy), true);
  assertEquals(isThisProcess({ ...legacy, processStart: legacy.processStart! + 1 }), false);
});

Deno.test("processStartTime: a process whose name holds ') ' is read after the last ')'", async () => {
  if (!readsProc) return;
  const directory = Deno.makeTempDirSync();
  try {
    // A copy of sleep named so that its command name (field 2 of /proc/<pid>/stat) holds ") ".
    const program = `${directory}/x) y`;
    Deno.copyFileSync("/bin/sleep", program);
    Deno.chmodSync(program, 0o755);
    const child = new Deno.Command(program, { args: ["30"], stdout: "null", stderr: "null" })
      .spawn();
    try {
      const start = processStartTime(child.pid);
      // Started after this process: a field read one place off (itrealvalue, always 0) is not.
      assert(start !== undefined && start >= processStartTime(Deno.pid)!, `${start}`);
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("claimOfThisProcess records the batch job, and describeClaimHolder names it", () => {
  const claim = claimOfThisProcess("1234_7");
  assertEquals(claim.job, "1234_7");
  assertEquals(
    describeClaimHolder({ ...claim, since: "S", heartbeat: "T" }),
    `held by process ${Deno.pid} on ${Deno.hostname()} (job 1234_7) since S, last heartbeat T`,
  );
  assertEquals("job" in claimOfThisProcess(), false);
  assertEquals(
    describeClaimHolder({ pid: 7, hostname: "h", since: "S" }),
    "held by process 7 on h since S, last heartbeat S",
  );
});

Deno.test("claimStaleness: a stale claim is named by its last heartbeat, and judged by it, not by its start", () => {
  const claim: CellClaim = {
    pid: 1,
    hostname: `not-${Deno.hostname()}`,
    since: "2026-01-01T00:00:00.000Z",
    heartbeat: "2026-01-01T00:00:30.000Z",
  };
  assertEquals(claimStaleness(claim, Date.parse("2026-01-01T00:01:00.000Z"), 60), undefined);
  assertEquals(
    claimStaleness(claim, Date.parse("2026-01-01T00:02:00.000Z"), 60),
    "its last heartbeat (2026-01-01T00:00:30.000Z) is older than 60 s",
  );
});

Deno.test("claimStaleness: a live process's fresh claim on this host is live without a boot id, a start time, or with its own token", () => {
  // Two processes on one host: the other one's claim (pid 1, always running) is never taken over.
  if (!readsProc) return;
  const now = new Date().toISOString();
  const bare: CellClaim = { pid: 1, hostname: Deno.hostname(), since: now, heartbeat: now };
  assertEquals(claimStaleness(bare), undefined, "no boot id, no start time (older versions)");
  assertEquals(claimStaleness({ ...bare, token: "another live process" }), undefined);
  const full: CellClaim = {
    ...bare,
    bootId: Deno.readTextFileSync("/proc/sys/kernel/random/boot_id").trim(),
    processStart: processStartTime(1),
    token: "another live process",
  };
  assertEquals(claimStaleness(full), undefined);
});

Deno.test("claimStaleness names the pid of a claim whose process is gone or was replaced", () => {
  if (!readsProc || processStartTime(1) === undefined) return;
  const now = new Date().toISOString();
  const bare: CellClaim = { pid: 1, hostname: Deno.hostname(), since: now, heartbeat: now };
  // Above the kernel's largest pid (2^22): never running.
  const gone = 2 ** 22 + 1;
  assertEquals(claimStaleness({ ...bare, pid: gone }), `process ${gone} is not running`);
  assertEquals(
    claimStaleness({ ...bare, processStart: processStartTime(1)! + 1 }),
    "pid 1 now belongs to another process",
  );
});

Deno.test("claimStaleness: this process's own claim without a start time is live; another live process's without token or start time too", () => {
  // Found by mutation round MC (MC10, MC13): the legacy "own pid, no token, no start time" rule
  // must not reach a claim that has this process's token, nor a claim of another pid.
  if (!readsProc) return;
  const { processStart: _start, ...withoutStart } = claimOfThisProcess();
  assertEquals(claimStaleness(withoutStart), undefined);
  const now = new Date().toISOString();
  const parent: CellClaim = {
    pid: Deno.ppid,
    hostname: Deno.hostname(),
    since: now,
    heartbeat: now,
  };
  assertEquals(claimStaleness(parent), undefined);
});
