/**
 * A lab launcher killed outright (SIGKILL: it can stop nothing) leaves no server behind: the
 * server sees the pipe from the launcher end and stops itself as on SIGTERM, its kernels with it
 * (lab_server.ts, SERVER_WRAPPER). With lab_fake_jupyter.py as the server (ending its two
 * children on SIGTERM, as Jupyter ends its kernels), and with Debian's Jupyter Notebook and one
 * Deno kernel when it is installed (skipped otherwise). Before, both ran on as orphans.
 */
import { assert, assertEquals } from "@std/assert";
import { labProblem } from "../../lib/notebook_runner/lab_server.ts";
import { fakeJupyter, freePort, running } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const launcherScript = new URL("./_lab_killed_launcher.ts", import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const noJupyter = (await labProblem("/usr/bin/python3")) !== null;

/** The processes a launcher started: the server, then what the server started. */
interface Started {
  server: number;
  children: number[];
}

/**
 * Runs _lab_killed_launcher.ts until it has said what it started, SIGKILLs it, then waits up to
 * 20 s for those processes to end. Returns the ones still running then (none is right); whatever
 * it started is killed before it returns, so that no test leaves a process behind.
 */
async function killLauncher(
  dir: string,
  python: string,
  env: Record<string, string>,
  children: number,
  kernel: boolean,
): Promise<{ started: Started; leftRunning: number[] }> {
  const launcher = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      launcherScript,
      python,
      String(freePort()),
      `${dir}/server.log`,
      String(children),
      ...(kernel ? ["kernel"] : []),
    ],
    cwd: projectRoot,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errors = new Response(launcher.stderr).text();
  let started: Started | undefined;
  try {
    let line = "";
    const decoder = new TextDecoder();
    for await (const chunk of launcher.stdout) {
      line += decoder.decode(chunk, { stream: true });
      if (line.includes("\n")) break;
    }
    if (!line.includes("\n")) {
      await launcher.status;
      throw new Error(`the launcher ended before it said what it started: ${await errors}`);
    }
    started = JSON.parse(line) as Started;
    launcher.kill("SIGKILL");
    assertEquals((await launcher.status).signal, "SIGKILL");
    const all = [started.server, ...started.children];
    // Generous: the server stops at once, a kernel within Jupyter's shutdown wait (a few s).
    for (let wait = 0; wait < 200 && all.some(running); wait++) await sleep(100);
    return { started, leftRunning: all.filter(running) };
  } finally {
    try {
      launcher.kill("SIGKILL");
    } catch {
      // already ended
    }
    await launcher.status;
    await errors;
    for (const pid of started ? [started.server, ...started.children] : []) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // ended, as it should have
      }
    }
  }
}

Deno.test("lab server: a launcher killed outright leaves neither the server nor what it started running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_killed_" });
  try {
    const { python, env } = await fakeJupyter(dir, { FAKE_END_CHILDREN: "1" });
    const { started, leftRunning } = await killLauncher(dir, python, env, 2, false);
    assertEquals(started.children.length, 2, "the fake server's two children");
    assertEquals(leftRunning, [], "still running 20 s after the launcher was killed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "lab server: a launcher killed outright leaves neither Jupyter nor its kernel running",
  ignore: noJupyter,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "lab_killed_" });
    try {
      const { started, leftRunning } = await killLauncher(dir, "/usr/bin/python3", {}, 1, true);
      assert(started.children.length >= 1, "no kernel under the server");
      assertEquals(leftRunning, [], "still running 20 s after the launcher was killed");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
