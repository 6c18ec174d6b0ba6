/**
 * Edges of lib/notebook_runner/processes.ts and list_notebooks.ts that mutation round QB found no
 * test pinned: a stopped process (state T, a kernel paused with SIGSTOP) is alive and is
 * signalled, so a lab that exits still ends it; listNotebooks looks at a link only when its name
 * is a notebook's (a broken link to something else is no error), and lists every name ending in
 * `.ipynb`, hidden ones and ".ipynb" itself included (as `ls -A` would show them).
 */
import { assert, assertEquals } from "@std/assert";
import { listNotebooks } from "../../lib/notebook_runner/list_notebooks.ts";
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

Deno.test("listNotebooks: a broken link not named .ipynb is skipped, not an error", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/01_a.ipynb`, "{}");
    // An editor's lock file is such a link (".#01_a.ipynb" -> "user@host.1234"), and so is a
    // leftover link to a removed data file.
    Deno.symlinkSync(`${dir}/gone.csv`, `${dir}/data.csv`);
    assertEquals(await listNotebooks(dir), [`${dir}/01_a.ipynb`]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("listNotebooks: hidden .ipynb names and '.ipynb' itself are notebooks too", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const name of [".ipynb", ".hidden.ipynb", "01_a.ipynb"]) {
      Deno.writeTextFileSync(`${dir}/${name}`, "{}");
    }
    assertEquals(
      await listNotebooks(dir),
      [".hidden.ipynb", ".ipynb", "01_a.ipynb"].map((name) => `${dir}/${name}`),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
