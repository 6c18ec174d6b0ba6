/**
 * lib/notebook_runner/processes.ts under the tasks' scoped permissions signals through procps's
 * `kill` (found by mutation round KH, session 46): the signal asked for is the one sent, not a
 * SIGTERM whatever was asked (processes_test.ts sends only SIGTERM).
 */
import { assert, assertEquals } from "@std/assert";

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
