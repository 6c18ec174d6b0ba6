/**
 * startLabServer's behaviour that mutation round CC found unpinned, with stand-ins for Jupyter (a
 * shell script given as `python`, or lab_fake_jupyter.py), so these run in seconds and without
 * Jupyter: the server's exact command line and environment; an explicit port in use refused
 * before any server starts, and a port check that fails otherwise not taken for "in use"; a log
 * that only says the port "is not available"; an early exit's error quoting the last 5 lines of
 * its log (only its status when it said nothing, the end of a log longer than the 16 KiB kept);
 * the server's stdout and stderr passed on to this process's own, each to its own; the log file
 * holding every server of one start; the range's end reached before 5 servers; stop()
 * counting only what outlived the server, ending what the server left when it died by itself,
 * and being one stop however often it is called.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStrictEquals,
  assertStringIncludes,
} from "@std/assert";
import { startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { holdLabTestPorts, portsOf } from "./_lab_test_ports.ts";
import { fakeJupyter, fakePython, freePort, inTempDir, startError } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("lab server gaps: the server's command line and environment (config.env cannot replace the token)", () =>
  inTempDir(async (dir) => {
    const python = await fakePython(
      dir,
      `for a in "$@"; do echo "$a"; done > ${dir}/args\n` +
        `printf %s "$wrapper" > ${dir}/wrapper\nenv > ${dir}/env\nexit 3`,
    );
    const port = freePort();
    await startError({
      projectRoot,
      python,
      port,
      token: "the-token",
      env: { DEMURE_QUICK: "1", JUPYTER_TOKEN: "from-config-env" },
    });
    // The server runs under the wrapper that stops it when the launcher is gone
    // (lab_launcher_killed_test.ts), in the same process: the module run, with these arguments.
    assertStringIncludes(
      await Deno.readTextFile(`${dir}/wrapper`),
      'runpy.run_module("notebook", run_name="__main__", alter_sys=True)',
    );
    assertEquals((await Deno.readTextFile(`${dir}/args`)).split("\n"), [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--notebook-dir=${projectRoot}/notebooks`,
      "--KernelSpecManager.allowed_kernelspecs=deno",
      "--KernelSpecManager.ensure_native_kernel=False",
      "--MappingKernelManager.default_kernel_name=deno",
      ...(Deno.uid() === 0 ? ["--allow-root"] : []),
      "",
    ]);
    const env = new Map(
      (await Deno.readTextFile(`${dir}/env`)).trim().split("\n").map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
      }),
    );
    const jupyter = `${projectRoot}/.jupyter`;
    assertEquals(
      [
        "JUPYTER_TOKEN",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "DEMURE_QUICK",
      ].map((name) => env.get(name)),
      ["the-token", `${jupyter}/config`, `${jupyter}/data`, `${jupyter}/runtime`, "1"],
    );
  }));

Deno.test("lab server gaps: an explicit port in use is refused before any server starts", () =>
  inTempDir(async (dir) => {
    const python = await fakePython(dir, `touch ${dir}/started\nexit 3`);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    try {
      assertEquals(
        await startError({ projectRoot, python, port }),
        `port ${port} on 127.0.0.1 is in use`,
      );
    } finally {
      listener.close();
    }
    const started = await Deno.stat(`${dir}/started`).then(() => true, () => false);
    assertEquals(started, false, "a server was started on a port known to be in use");
  }));

Deno.test("lab server gaps: a port check that fails for another reason than 'in use' is that error", () =>
  inTempDir(async (dir) => {
    const python = await fakePython(dir, "exit 3");
    const port = freePort();
    const { listen } = Deno;
    // As binding a privileged port without the right to: not a port another program holds.
    Deno.listen = ((options: Deno.ListenOptions) => {
      if (options.port === port) throw new Deno.errors.PermissionDenied("stand-in refusal");
      return listen(options);
    }) as typeof Deno.listen;
    try {
      const error = await assertRejects(() => startLabServer({ projectRoot, python, port }));
      assert(error instanceof Deno.errors.PermissionDenied, `${error}`);
    } finally {
      Deno.listen = listen;
    }
  }));

Deno.test("lab server gaps: a log saying only that the port is not available is that reason", () =>
  inTempDir(async (dir) => {
    // Notebook 6.4's last line of a failed bind, without the line before it (a quieter log level).
    const python = await fakePython(
      dir,
      `for a in "$@"; do case "$a" in --port=*) port="\${a#--port=}";; esac; done\n` +
        'echo "[C 06:11:25.858 NotebookApp] ERROR: the notebook server could not be started ' +
        'because port $port is not available." >&2\nexit 1',
    );
    const port = freePort();
    assertEquals(
      await startError({ projectRoot, python, port }),
      `port ${port} on 127.0.0.1: not available`,
    );
  }));

Deno.test("lab server gaps: an early exit quotes the last 5 lines of its log, or only its status when it said nothing", () =>
  inTempDir(async (dir) => {
    const port = freePort();
    const lines = await fakePython(dir, "for i in 1 2 3 4 5 6 7; do echo line-$i; done\nexit 4");
    assertEquals(
      await startError({ projectRoot, python: lines, port }),
      "the server exited with status 4; the end of its log:\n" +
        "  line-3\n  line-4\n  line-5\n  line-6\n  line-7",
    );
    const silent = await fakePython(dir, "exit 4");
    assertEquals(
      await startError({ projectRoot, python: silent, port }),
      "the server exited with status 4",
    );
    // More than the 16 KiB kept: the end is kept, not the start.
    const long = await fakePython(dir, "yes filler | head -n 4000\necho the-last-line\nexit 5");
    const message = await startError({ projectRoot, python: long, port });
    assert(message.endsWith("  filler\n  the-last-line"), message.slice(-200));
  }));

Deno.test("lab server gaps: with no log file the server's stdout and stderr go on to this process's own, each to its own", async () => {
  await inTempDir(async (dir) => {
    const python = await fakePython(dir, "echo to-stdout\necho to-stderr >&2\nexit 3");
    const module = new URL("../../lib/notebook_runner/lab_server.ts", import.meta.url).href;
    // In a process of its own: the server's output is this process's stdout and stderr.
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { startLabServer } from "${module}";\n` +
        `await startLabServer(${
          JSON.stringify({ projectRoot, python, port: freePort() })
        }).catch(() => {});`,
      ],
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    assertEquals(output.code, 0, decoder.decode(output.stderr));
    assertEquals(
      [decoder.decode(output.stdout), decoder.decode(output.stderr)],
      ["to-stdout\n", "to-stderr\n"],
    );
  });
});

Deno.test("lab server gaps: the range's end reached before 5 servers says so; the log file holds every server's output", () =>
  inTempDir(async (dir) => {
    // Every server refused (its bind failed, the port free again at its exit), and every port
    // of the range after the second held: two servers, then no free port.
    const python = await fakePython(
      dir,
      `for a in "$@"; do case "$a" in --port=*) port="\${a#--port=}";; esac; done\n` +
        'echo "[I 06:11:25.858 NotebookApp] The port $port is already in use." >&2\nexit 1',
    );
    // The ports after the second bound by this test from before the start to its end. One that
    // another process held instead could be let go mid-test and then tried by the start; a block
    // where one is held elsewhere is passed over (holdLabTestPorts).
    const ports = holdLabTestPorts("gaps: the range's end reached before 5 servers", 2);
    const portRange = ports.range;
    const [first, second] = portsOf(portRange);
    const last = ports.held[ports.held.length - 1];
    const logFile = `${dir}/server.log`;
    try {
      assertEquals(
        await startError({ projectRoot, python, logFile, portRange }),
        `no port of ${first}-${last} could be bound (no free port after the last): ` +
          `${first} in use, ${second} in use; pass --port N`,
      );
    } finally {
      ports.close();
    }
    assertEquals(
      await Deno.readTextFile(logFile),
      `[I 06:11:25.858 NotebookApp] The port ${first} is already in use.\n` +
        `[I 06:11:25.858 NotebookApp] The port ${second} is already in use.\n`,
    );
  }));

Deno.test("lab server gaps: the log file holds the server's output while it runs, not only after it stopped", () =>
  inTempDir(async (dir) => {
    // Written through the file's writable stream, nothing reached the file before the stop.
    const { python, env } = await fakeJupyter(dir, { FAKE_SAY: "fake server: answering" });
    const logFile = `${dir}/server.log`;
    const server = await startLabServer({ projectRoot, python, port: freePort(), env, logFile });
    try {
      let log = "";
      for (let wait = 0; wait < 50 && log === ""; wait++) {
        await sleep(100);
        log = await Deno.readTextFile(logFile);
      }
      assertEquals(log, "fake server: answering\n");
    } finally {
      await server.stop();
    }
  }));

Deno.test("lab server gaps: stop() signals none of the processes the server ended itself, and is one stop however often called", () =>
  inTempDir(async (dir) => {
    const { python, env } = await fakeJupyter(dir, { FAKE_END_CHILDREN: "1" });
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    const [first, second] = await Promise.all([server.stop(), server.stop()]);
    assertStrictEquals(first, second);
    assertStrictEquals(await server.stop(), first);
    assertEquals(first, { exitCode: 0, signalledAfterServer: 0, leftRunning: [] });
  }));

Deno.test("lab server gaps: stop() after the server died by itself ends what it had started (tracked while it ran)", () =>
  inTempDir(async (dir) => {
    const { python, env } = await fakeJupyter(dir);
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    let stopped = false;
    try {
      // Longer than the periodic look (0.5 s, a timer set before this one): it has seen both.
      await sleep(1_200);
      Deno.kill(server.pid, "SIGKILL");
      assertEquals(await server.exited, 137);
      // Its children are re-parented now: only the look while it lived knows them.
      const report = await server.stop();
      stopped = true;
      assertEquals(report, { exitCode: 137, signalledAfterServer: 2, leftRunning: [] });
      assertStringIncludes(await Deno.readTextFile(`${dir}/terminated`), "stopped");
    } finally {
      if (!stopped) await server.stop();
    }
  }));

/**
 * The delays of the timers `body` set that neither fired nor were cleared by its end: a pending
 * timer keeps a process alive (a script whose start failed lingered 20 s after its error).
 */
async function timersLeftBy(body: () => Promise<void>): Promise<number[]> {
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  const pending = new Map<unknown, number>();
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    const id = set(() => {
      pending.delete(id);
      handler();
    }, ms);
    pending.set(id, ms ?? 0);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(id);
    clear(id);
  }) as typeof clearTimeout;
  try {
    await body();
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
  }
  return [...pending.values()];
}

Deno.test("lab server gaps: a failed start and a stop leave no timer behind to hold the process", () =>
  inTempDir(async (dir) => {
    const early = await fakePython(dir, "echo bye\nexit 3");
    assertEquals(
      await timersLeftBy(async () => {
        await startError({ projectRoot, python: early, port: freePort() });
      }),
      [],
      "after an early exit",
    );
    const { python, env } = await fakeJupyter(dir);
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    assertEquals(await timersLeftBy(async () => void await server.stop()), [], "after stop()");
  }));

Deno.test("lab server gaps: an early exit's error waits at most a moment for output pipes a process it left holds open", () =>
  inTempDir(async (dir) => {
    // A process the server started and left (re-parented at once, so not tracked) holds its
    // stdout and stderr until the test releases it (or its folder is gone).
    const python = await fakePython(
      dir,
      `( (while [ -d ${dir} ] && [ ! -e ${dir}/release ]; do sleep 0.1; done) & )\n` +
        "echo bye\nexit 3",
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    // 30 s: far beyond the 2 s the error waits for the log's end, far below "until released".
    const waited = new Promise<string>((resolve) =>
      timer = setTimeout(() => resolve("no error 30 s after the exit"), 30_000)
    );
    try {
      assertEquals(
        await Promise.race([startError({ projectRoot, python, port: freePort() }), waited]),
        "the server exited with status 3; the end of its log:\n  bye",
      );
    } finally {
      clearTimeout(timer);
      await Deno.writeTextFile(`${dir}/release`, ""); // (its folder gone ends it too)
    }
  }));
