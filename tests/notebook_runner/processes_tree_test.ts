/**
 * The process tree a server leaves (lib/notebook_runner/processes.ts), read from `/proc` (under
 * --allow-all): a grandchild is found as a descendant (a kernel is the server's child's child), a
 * zombie is not alive, and a process's start time is `/proc/<pid>/stat` field 22, which tells a
 * reused pid apart.
 */
import { assert, assertEquals } from "@std/assert";
import { firstLine } from "./_first_line.ts";
import { descendantsOf, isAlive } from "../../lib/notebook_runner/processes.ts";

/**
 * A Python child that starts a child exiting at once, never reaped, and a sleeping one. Both sleep
 * far longer than the test runs (it kills them). It writes their pids in two parts, 50 ms apart,
 * as a pipe may deliver them anyway (see `firstLine`), so the test always reads a split line.
 */
const PARENT = [
  "import subprocess, sys, time",
  "zombie = subprocess.Popen(['true'])",
  "sleeper = subprocess.Popen(['sleep', '600'])",
  "sys.stdout.write(str(zombie.pid)); sys.stdout.flush(); time.sleep(0.05)",
  "print('', sleeper.pid, flush=True)",
  "time.sleep(600)",
].join("\n");

function statFields(pid: number): string[] {
  const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

Deno.test({
  name: "processes: grandchildren are descendants; a zombie is not alive; start time is field 22",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const parent = new Deno.Command("/usr/bin/python3", { args: ["-c", PARENT], stdout: "piped" })
      .spawn();
    const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let sleeperPid = 0;
    try {
      const line = await firstLine(reader);
      const [zombiePid, sleeper] = line.split(" ").map(Number);
      assert(Number.isInteger(zombiePid) && Number.isInteger(sleeper), line);
      sleeperPid = sleeper;
      for (let wait = 0; wait < 100 && statFields(zombiePid)[0] !== "Z"; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assertEquals(statFields(zombiePid)[0], "Z", "the child that exited is a zombie");
      const found = descendantsOf(Deno.pid);
      const sleeping = found.find(({ pid }) => pid === sleeperPid);
      const zombie = found.find(({ pid }) => pid === zombiePid);
      const statOf = (pid: number) => {
        try {
          return Deno.readTextFileSync(`/proc/${pid}/stat`).slice(0, 80);
        } catch (error) {
          return String(error);
        }
      };
      assert(
        sleeping !== undefined && zombie !== undefined,
        `${JSON.stringify(found)}; child's line ${line}; test process ${Deno.pid}; ` +
          `parent ${statOf(parent.pid)}; ` +
          `zombie ${statOf(zombiePid)}; sleeper ${statOf(sleeperPid)}`,
      );
      assertEquals(sleeping.startTime, statFields(sleeperPid)[19]);
      assert(isAlive(sleeping));
      assertEquals(isAlive(zombie), false, "an exited process not yet reaped is not alive");
    } finally {
      if (sleeperPid > 0) Deno.kill(sleeperPid, "SIGKILL");
      parent.kill("SIGKILL");
      await reader.cancel();
      await parent.status;
    }
  },
});
