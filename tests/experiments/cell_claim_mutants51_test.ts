/**
 * Mutation round 51 of cell claims: a claim of an earlier version (no process start time, no
 * token) held by a live process on this host is not stale. Dropping the `processStart !==
 * undefined` guard survived every test: such a claim read as "pid now belongs to another
 * process" and was taken over while its cell ran.
 */
import { assert, assertEquals } from "@std/assert";
import { claimStaleness, processStartTime } from "../../lib/experiments/cell_claim.ts";

const linux = Deno.build.os === "linux";

Deno.test({
  name: "a live process's claim without a start time or token (an earlier version's) is not stale",
  ignore: !linux,
  fn() {
    // The parent of this test process is alive while it runs; /proc names its start time.
    const pid = Deno.ppid;
    assertEquals(typeof processStartTime(pid), "number");
    const now = new Date().toISOString();
    const claim = { pid, hostname: Deno.hostname(), since: now, heartbeat: now };
    assertEquals(claimStaleness(claim), undefined);
  },
});

Deno.test({
  name: "processStartTime is the start in clock ticks since boot (field 22 of /proc/<pid>/stat)",
  ignore: !linux,
  fn() {
    // Linux reports ticks of USER_HZ (100 a second). Another field of the line (the next one is
    // the process's virtual memory size, in bytes) changes while the process runs, and a live
    // claim then read as its pid taken by another process.
    const uptime = Number(Deno.readTextFileSync("/proc/uptime").split(" ")[0]);
    const start = processStartTime(Deno.pid)!;
    assert(Number.isInteger(start) && start >= 0 && start / 100 <= uptime, `${start}`);
    assertEquals(processStartTime(Deno.pid), start);
  },
});
