/**
 * `./run.sh lab` on the stand-in Jupyter whose children end with it (as Jupyter's kernels do):
 * stopped by SIGTERM, its last line says the server and kernels stopped, without a count of
 * processes that needed a signal, since none did. The lab's tests all had children left after the
 * server, so a lab that printed "(0 processes needed a signal after the server)" passed them
 * (mutation round 54, scripts/lab.ts:132).
 */
import { assert, assertEquals } from "@std/assert";
import { fakeJupyter, freePort, inTempDir } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("lab: stopped by SIGTERM with no process left after the server, its last line names no count", async () => {
  await inTempDir(async (dir) => {
    const { python, env } = await fakeJupyter(dir, { FAKE_END_CHILDREN: "1" });
    const lab = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/lab.ts", "--port", `${freePort()}`],
      cwd: projectRoot,
      env: { ...env, DEMURE_JUPYTER_PYTHON: python, DEMURE_QUICK: "0", DEMURE_RERUN: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(lab.stderr).text();
    let stdout = "";
    let serving = false;
    const decoder = new TextDecoder();
    for await (const chunk of lab.stdout) {
      stdout += decoder.decode(chunk, { stream: true });
      if (!serving && stdout.includes("Ctrl-C stops the server")) {
        serving = true;
        // The server's children seen by the look every 0.5 s, then stopped as by `kill`.
        await sleep(1_000);
        lab.kill("SIGTERM");
      }
    }
    const status = await lab.status;
    assertEquals(status.code, 0, stdout + (await stderr));
    assert(stdout.includes("\nlab: stopping (SIGTERM)\n"), stdout);
    assert(stdout.endsWith("\nlab: server and kernels stopped\n"), stdout);
  });
});
