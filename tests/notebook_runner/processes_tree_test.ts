/**
 * The process tree a server leaves (lib/notebook_runner/processes.ts), read from `/proc` (under
 * --allow-all): a grandchild is found as a descendant (a kernel is the server's child's child), a
 * zombie is not alive, and a process's start time is `/proc/<pid>/stat` field 22, which tells a
 * reused pid apart.
 */
import { assert, assertEquals } from "@std/assert";
import { descendantsOf, isAlive } from "../../lib/notebook_runner/processes.ts";

/**
 * A Python child that starts a child exiting at once, never reaped, and a sleeping one. Both sleep
 * far longer than the test runs (it kills them).
 */
const PARENT = [
  "import subprocess, time",
  "zombie = subprocess.Popen(['true'])",
  "sleeper = subprocess.Popen(['sleep', '600'])",
  "print(zombie.pid, sleeper.pid, flush=True)",
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
      const [zombiePid, sleeper] = (await reader.read()).value!.trim().split(" ").map(Number);
      sleeperPid = sleeper;
      for (let wait = 0; wait < 100 && statFields(zombiePid)[0] !== "Z"; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assertEquals(statFields(zombiePid)[0], "Z", "the child that exited is a zombie");
      // Looked for again for up to 5 s: in the full parallel suite a walk of /proc missed both
      // (twice in this session's CI runs, not reproduced alone or in a rerun of the suite; its
      // cause is not established). processes_test looks again the same way. A descendantsOf that
      // never finds a grandchild still fails.
      let found = descendantsOf(Deno.pid);
      const both = () => [sleeperPid, zombiePid].every((id) => found.some(({ pid }) => pid === id));
      for (let wait = 0; wait < 50 && !both(); wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = descendantsOf(Deno.pid);
      }
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
        `${JSON.stringify(found)}; test process ${Deno.pid}; parent ${statOf(parent.pid)}; ` +
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
