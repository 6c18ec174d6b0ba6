/**
 * Edges of lib/notebook_runner/processes.ts and list_notebooks.ts that mutation round QB found no
 * test pinned: a stopped process (state T, a kernel paused with SIGSTOP) is alive and is
 * signalled, so a lab that exits still ends it.
 */
import { assert, assertEquals } from "@std/assert";
import { descendantsOf, isAlive, signalIfAlive } from "../../lib/notebook_runner/processes.ts";

/** The state letter of `pid` in `/proc/<pid>/stat`. */
function stateOf(pid: number): string {
  const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  return text.slice(text.lastIndexOf(")") + 2)[0];
}

Deno.test({
  name: "processes: a stopped child (state T) is alive, and signalIfAlive ends it",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const child = new Deno.Command("/usr/bin/sleep", { args: ["60"] }).spawn();
    try {
      Deno.kill(child.pid, "SIGSTOP");
      // SIGSTOP takes effect asynchronously: wait (bounded) for the state to show it.
      for (let tries = 0; stateOf(child.pid) !== "T" && tries < 10_000; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assertEquals(stateOf(child.pid), "T");
      const found = descendantsOf(Deno.pid).find(({ pid }) => pid === child.pid);
      assert(found !== undefined, "the stopped child is a descendant");
      assert(isAlive(found), "a stopped process is alive");
      signalIfAlive(found, "SIGKILL");
      assertEquals((await child.status).signal, "SIGKILL");
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // Ended by the test itself.
      }
      await child.status;
    }
  },
});
