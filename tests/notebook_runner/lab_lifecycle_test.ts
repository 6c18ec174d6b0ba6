/**
 * `./run.sh lab` stops what it started however it ends, through the task's own command line and
 * Debian's Jupyter Notebook (skips without it): a Ctrl-C or a SIGTERM while Jupyter is still
 * starting (it runs in a session of its own, so only the launcher can stop it), the terminal
 * closed (SIGHUP, and every write to the terminal failing), and the server dying by itself (exit
 * status 1, said on stderr, instead of 0).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { labProblem } from "../../lib/notebook_runner/lab_server.ts";
import { descendantsOf, isAlive, type ProcessId } from "../../lib/notebook_runner/processes.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;
const task = denoTask("lab");
const labCommand = [Deno.execPath(), ...task.split(/\s+/).slice(1)];
// A port above the default range, so a user's own `./run.sh lab` is never in the way.
const labArgs = ["--port", String(19_000 + (Deno.pid % 1000))];
const problem = await labProblem();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything `stream` yields, as text so far; `done` when it ends. */
function collect(stream: ReadableStream<Uint8Array>): { text(): string; done: Promise<void> } {
  let text = "";
  const done = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })();
  return { text: () => text, done };
}

function startLab(): Deno.ChildProcess {
  return new Deno.Command(labCommand[0], {
    args: [...labCommand.slice(1), ...labArgs],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * The Jupyter process under `launcher` (`python3 -c <wrapper> --no-browser ... --notebook-dir=...`,
 * lab_server.ts), as soon as it exists.
 */
async function jupyterUnder(launcher: number): Promise<ProcessId> {
  for (let wait = 0; wait < 1500; wait++) {
    for (const id of descendantsOf(launcher)) {
      try {
        const argv = Deno.readTextFileSync(`/proc/${id.pid}/cmdline`).split("\0");
        if (argv.some((arg) => arg.startsWith("--notebook-dir="))) return id;
      } catch {
        // exited meanwhile
      }
    }
    await sleep(20);
  }
  throw new Error("no Jupyter process appeared under the launcher in 30 s");
}

/** Stops a Jupyter left behind (it leads its own process group; SIGTERM stops its kernels too). */
async function stopIfAlive(jupyter: ProcessId): Promise<void> {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    if (!isAlive(jupyter)) return;
    Deno.kill(-jupyter.pid, signal);
    for (let wait = 0; wait < 200 && isAlive(jupyter); wait++) await sleep(100);
  }
}

for (const [signal, what] of [["SIGINT", "Ctrl-C"], ["SIGTERM", "SIGTERM"]] as const) {
  Deno.test({
    name: `lab: ${what} while the server starts stops it (no Jupyter left running)`,
    ignore: problem !== null,
    fn: () => stopWhileStarting(signal),
  });
}

async function stopWhileStarting(signal: "SIGINT" | "SIGTERM"): Promise<void> {
  const lab = startLab();
  const stdout = collect(lab.stdout);
  const stderr = collect(lab.stderr);
  let jupyter: ProcessId | undefined;
  let status: Deno.CommandStatus;
  let leftRunning: boolean;
  try {
    jupyter = await jupyterUnder(lab.pid);
    lab.kill(signal);
    status = await lab.status;
    await sleep(300);
    leftRunning = isAlive(jupyter);
  } finally {
    // Jupyter holds the output pipes while it runs: stopped before they are read to the end.
    if (jupyter) await stopIfAlive(jupyter);
    try {
      lab.kill("SIGKILL");
    } catch {
      // it has exited
    }
    await lab.status;
    await Promise.all([stdout.done, stderr.done]);
  }
  const output = `${stdout.text()}${stderr.text()}`;
  assert(!stdout.text().includes("token="), `the signal came after the start:\n${output}`);
  assertEquals(leftRunning, false, `Jupyter ${jupyter.pid} was left running:\n${output}`);
  assertEquals([status.code, status.signal], [0, null], output);
  assertStringIncludes(stdout.text(), `lab: stopped while starting (${signal})`);
}

Deno.test({
  name: "lab: closing its terminal (SIGHUP, writes failing) stops the server",
  ignore: problem !== null,
  async fn() {
    const output = await new Deno.Command("/usr/bin/python3", {
      args: [`${root}tests/notebook_runner/lab_hangup_check.py`, ...labCommand, ...labArgs],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const text = decoder.decode(output.stdout) + decoder.decode(output.stderr);
    assertEquals(output.code, 0, `lab_hangup_check.py failed:\n${text}`);
    const result = JSON.parse(decoder.decode(output.stdout).trim().split("\n").pop()!);
    assertEquals(
      { launcherStatus: result.launcherStatus, serverLeftRunning: result.serverLeftRunning },
      { launcherStatus: 0, serverLeftRunning: false },
      text,
    );
  },
});

Deno.test({
  name: "lab: a server that dies by itself is an exit status 1 with its status on stderr",
  ignore: problem !== null,
  async fn() {
    const lab = startLab();
    const stdout = collect(lab.stdout);
    const stderr = collect(lab.stderr);
    let status: Deno.CommandStatus;
    try {
      for (let wait = 0; wait < 900 && !stdout.text().includes("token="); wait++) await sleep(100);
      assertStringIncludes(stdout.text(), "token=", stderr.text());
      const jupyter = await jupyterUnder(lab.pid);
      Deno.kill(jupyter.pid, "SIGKILL");
      status = await lab.status;
    } finally {
      try {
        lab.kill("SIGINT");
      } catch {
        // it has exited
      }
      await lab.status;
      await Promise.all([stdout.done, stderr.done]);
    }
    assertEquals(status.code, 1, stderr.text());
    assertStringIncludes(
      stderr.text(),
      "lab: the notebook server exited on its own with status 137 (its log is above)",
    );
  },
});
