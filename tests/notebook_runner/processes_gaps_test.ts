/**
 * Edges of lib/notebook_runner/processes.ts that the tree and permission tests leave open (found by
 * mutation round RR, session 40): a process whose name holds ") " is still read right from
 * `/proc/<pid>/stat`; `ps`'s state column carries flags after the state letter ("ZN" for a niced
 * zombie), and only the letter says whether the process exited; a process id whose start time is
 * not the live process's is never signalled.
 */
import { assert, assertEquals } from "@std/assert";
import { firstLine } from "./_first_line.ts";
import { descendantsOf, isAlive, signalIfAlive } from "../../lib/notebook_runner/processes.ts";

const processesModule = new URL("../../lib/notebook_runner/processes.ts", import.meta.url).href;

Deno.test({
  name: "processes: a process named with ') ' is found with its parent and start time",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    // The kernel names a process after the file it runs: "a) b" puts ") " inside the name.
    const program = `${dir}/a) b`;
    await Deno.symlink("/usr/bin/sleep", program);
    const child = new Deno.Command(program, { args: ["30"] }).spawn();
    try {
      const found = descendantsOf(Deno.pid).find(({ pid }) => pid === child.pid);
      assert(found !== undefined, "the child with ') ' in its name is a descendant");
      const text = Deno.readTextFileSync(`/proc/${child.pid}/stat`);
      assertEquals(found.startTime, text.slice(text.lastIndexOf(")") + 2).split(" ")[19]);
      assert(isAlive(found));
    } finally {
      child.kill("SIGKILL");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "processes: a process id with another start time is not signalled",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // Exits 3 on SIGTERM, 0 when its input closes.
    const script = [
      "import signal, sys",
      "signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))",
      "print('ready', flush=True)",
      "sys.stdin.read()",
    ].join("\n");
    const child = new Deno.Command("/usr/bin/python3", {
      args: ["-c", script],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      assertEquals(await firstLine(reader), "ready");
      signalIfAlive({ pid: child.pid, startTime: "another start" }, "SIGTERM");
    } finally {
      await child.stdin.close();
      await reader.cancel();
    }
    assertEquals((await child.status).code, 0, "the SIGTERM went to a pid reused by this child");
  },
});

/** Under scoped permissions (`ps`): finds a niced zombie grandchild and says whether it is alive. */
const zombieProbe = `
import { descendantsOf, isAlive } from "${processesModule}";
const parent = new Deno.Command("/usr/bin/python3", {
  args: ["-c", "import subprocess, sys, time\\nz = subprocess.Popen(['nice', '-n', '5', 'true'])\\nprint(z.pid, flush=True)\\ntime.sleep(600)"],
  stdout: "piped",
}).spawn();
const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
let text = "";
while (!text.includes("\\n")) text += (await reader.read()).value ?? "";
const zombiePid = Number(text.trim());
let zombie;
for (let wait = 0; wait < 100; wait++) {
  zombie = descendantsOf(Deno.pid).find(({ pid }) => pid === zombiePid);
  const state = new TextDecoder().decode(new Deno.Command("/usr/bin/ps", {
    args: ["-p", String(zombiePid), "-o", "stat="], stdout: "piped",
  }).outputSync().stdout).trim();
  if (zombie !== undefined && state.startsWith("Z")) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const state = new TextDecoder().decode(new Deno.Command("/usr/bin/ps", {
  args: ["-p", String(zombiePid), "-o", "stat="], stdout: "piped",
}).outputSync().stdout).trim();
const alive = zombie !== undefined && isAlive(zombie);
parent.kill("SIGKILL");
await reader.cancel();
await parent.status;
console.log(JSON.stringify({ found: zombie !== undefined, state, alive }));
`;

Deno.test({
  name: "processes under scoped permissions (ps): a zombie whose state has flags is not alive",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const file = await Deno.makeTempFile({ suffix: ".ts" });
    await Deno.writeTextFile(file, zombieProbe);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read=.",
        "--allow-run=/usr/bin/ps,/usr/bin/python3",
        file,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    await Deno.remove(file);
    const decoder = new TextDecoder();
    assert(output.success, decoder.decode(output.stderr));
    const seen = JSON.parse(decoder.decode(output.stdout));
    assertEquals(seen.found, true);
    assertEquals(seen.state, "ZN", "ps shows the niced zombie's state with its flag");
    assertEquals(seen.alive, false);
  },
});
