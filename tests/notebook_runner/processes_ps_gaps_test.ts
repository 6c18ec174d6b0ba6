/**
 * lib/notebook_runner/processes.ts under the tasks' scoped permissions, through procps's `ps` and
 * `kill` (found by mutation round KH, session 46): the signal asked for is the one sent, not a
 * SIGTERM whatever was asked (processes_test.ts sends only SIGTERM), and a process's start time is
 * the whole of `ps`'s lstart column.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";

const processesModule = new URL("../../lib/notebook_runner/processes.ts", import.meta.url).href;

/** Starts `sleep`, finds it, signals it with the signal of its arguments, prints how it ended. */
const probe = `
import { descendantsOf, signalIfAlive } from "${processesModule}";
const child = new Deno.Command("/usr/bin/sleep", { args: ["30"] }).spawn();
let id;
for (let wait = 0; wait < 50 && id === undefined; wait++) {
  id = descendantsOf(Deno.pid).find(({ pid }) => pid === child.pid);
  if (id === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
}
if (id === undefined) child.kill("SIGKILL");
else signalIfAlive(id, Deno.args[0]);
console.log(JSON.stringify({ found: id !== undefined, signal: (await child.status).signal }));
`;

Deno.test({
  name: "processes under scoped permissions (kill): the signal asked for is sent",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const file = await Deno.makeTempFile({ suffix: ".ts" });
    try {
      await Deno.writeTextFile(file, probe);
      for (const signal of ["SIGINT", "SIGKILL"]) {
        const output = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--no-prompt",
            "--allow-read=.",
            "--allow-run=/usr/bin/ps,/usr/bin/kill,/usr/bin/sleep",
            file,
            signal,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const decoder = new TextDecoder();
        assert(output.success, decoder.decode(output.stderr));
        assertEquals(JSON.parse(decoder.decode(output.stdout)), { found: true, signal });
      }
    } finally {
      await Deno.remove(file);
    }
  },
});

/** Starts `sleep`, finds it, prints the start time found and the one `ps` shows. */
const startProbe = `
import { descendantsOf } from "${processesModule}";
const child = new Deno.Command("/usr/bin/sleep", { args: ["30"] }).spawn();
let id;
for (let wait = 0; wait < 50 && id === undefined; wait++) {
  id = descendantsOf(Deno.pid).find(({ pid }) => pid === child.pid);
  if (id === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
}
const ps = new Deno.Command("/usr/bin/ps", {
  args: ["-p", String(child.pid), "-o", "lstart="],
  env: { LC_ALL: "C", TZ: "UTC" },
  stdout: "piped",
}).outputSync();
child.kill("SIGKILL");
await child.status;
console.log(JSON.stringify({ found: id?.startTime, ps: new TextDecoder().decode(ps.stdout).trim() }));
`;

Deno.test({
  name: "processes under scoped permissions (ps): a start time is ps's whole lstart, to the second",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const file = await Deno.makeTempFile({ suffix: ".ts" });
    try {
      await Deno.writeTextFile(file, startProbe);
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          "--allow-read=.",
          "--allow-run=/usr/bin/ps,/usr/bin/sleep",
          file,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      assert(output.success, decoder.decode(output.stderr));
      const { found, ps } = JSON.parse(decoder.decode(output.stdout));
      // "Mon Dec  7 00:31:10 2026": a day's name alone would take a pid reused the same weekday
      // for the process it names.
      assertMatch(ps, /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
      assertEquals(found, ps);
    } finally {
      await Deno.remove(file);
    }
  },
});
