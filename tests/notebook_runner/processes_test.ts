// Process tracking and signals work the same under the tasks' scoped permissions (no `/proc`: Deno
// 2.9 reads it only under --allow-all, and Deno.kill needs --allow-run for everything; procps's
// `ps` and `kill` instead) as under --allow-all (`/proc`, Deno.kill).
import { assert, assertEquals } from "@std/assert";

const processesModule = new URL("../../lib/notebook_runner/processes.ts", import.meta.url).href;

/** A program that starts `sleep`, tracks it, signals it and reports what it saw. */
const probe = `
import { descendantsOf, isAlive, signalIfAlive } from "${processesModule}";
const child = new Deno.Command("/usr/bin/sleep", { args: ["30"] }).spawn();
let seen = descendantsOf(Deno.pid);
for (let wait = 0; wait < 50 && !seen.some(({ pid }) => pid === child.pid); wait++) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  seen = descendantsOf(Deno.pid);
}
const id = seen.find(({ pid }) => pid === child.pid);
const aliveBefore = id !== undefined && isAlive(id);
const reusedPid = id !== undefined && isAlive({ pid: id.pid, startTime: "another start" });
if (id !== undefined) signalIfAlive(id, "SIGTERM");
const { signal } = await child.status;
let procReadable = true;
try {
  Deno.readTextFileSync("/proc/self/stat");
} catch {
  procReadable = false;
}
console.log(JSON.stringify({ procReadable, signal, found: id !== undefined, aliveBefore, reusedPid, aliveAfter: id !== undefined && isAlive(id) }));
`;

for (
  const [label, flags] of [
    ["--allow-all (/proc)", ["-A"]],
    ["scoped permissions (ps)", [
      "--no-prompt",
      "--allow-read=.",
      "--allow-run=/usr/bin/ps,/usr/bin/kill,/usr/bin/sleep",
    ]],
  ] as const
) {
  Deno.test({
    name: `processes under ${label}: a child is found, alive, then gone; a reused pid is not it`,
    ignore: Deno.build.os !== "linux",
    async fn() {
      // A file run with `deno run` (`deno eval` would have every permission).
      const file = await Deno.makeTempFile({ suffix: ".ts" });
      await Deno.writeTextFile(file, probe);
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...flags, file],
        stdout: "piped",
        stderr: "piped",
      }).output();
      await Deno.remove(file);
      const decoder = new TextDecoder();
      assert(output.success, decoder.decode(output.stderr));
      assertEquals(JSON.parse(decoder.decode(output.stdout)), {
        procReadable: flags[0] === "-A",
        signal: "SIGTERM",
        found: true,
        aliveBefore: true,
        reusedPid: false,
        aliveAfter: false,
      });
    },
  });
}
