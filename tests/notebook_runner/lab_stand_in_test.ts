/**
 * startLabServer when the server cannot come up, with a stand-in for Jupyter (a shell script given
 * as `python`: it passes labProblem's import check, then exits or never answers), so these run in
 * seconds and without Jupyter: an early exit is an error giving its status and its log's last
 * lines (not "port in use", also with an explicit port), and the log file holds that server's
 * stdout and stderr only; a port the server's log says it could not bind (Notebook 6.4's lines),
 * though free again after its exit, is passed over for the next one of the range; a
 * server that never answers is given up after `startTimeoutSeconds`, not before, and stopped with every
 * process it started, one that ignores SIGTERM included; a Python without Jupyter is named with
 * its import error; the port range all taken is an error naming it, and so are other
 * servers taking 5 ports in a row (each test on a range of its own, LabServerConfig.portRange,
 * so that a server already on 8888 changes no outcome); the project's Jupyter folder comes first
 * on JUPYTER_PATH. With lab_fake_jupyter.py as the server: stop() signals what outlived it, names what outlives SIGKILL
 * (made to look so; `./run.sh lab` then exits 1 naming it), and ends the periodic look at the
 * server's processes.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { holdLabTestPorts, labTestPorts, portsOf } from "./_lab_test_ports.ts";
import { childrenOf, fakeJupyter, fakePython, freePort, running } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("lab server: a server that exits before answering is its exit status, its output in the log file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const python = await fakePython(dir, "echo server-stdout\necho server-stderr >&2\nexit 3");
    const logFile = `${dir}/server.log`;
    const portRange = labTestPorts("stand-in: an early exit without a port");
    for (const port of [freePort(), undefined]) {
      // A log of an earlier run, longer than this one's: replaced, not overwritten in part.
      await Deno.writeTextFile(
        logFile,
        "an earlier server's log, longer than this one's\n".repeat(3),
      );
      const error = await assertRejects(
        () => startLabServer({ projectRoot, python, port, portRange, logFile }),
        Error,
        "the server exited with status 3; the end of its log:\n  server-",
      );
      // Its log's last lines, whichever stream came first.
      assertEquals(
        (error as Error).message.split("\n").slice(1).sort(),
        ["  server-stderr", "  server-stdout"],
      );
      let log = "";
      for (let wait = 0; wait < 50 && log.split("\n").length < 3; wait++) {
        await sleep(100);
        log = await Deno.readTextFile(logFile);
      }
      assertEquals(log.split("\n").sort(), ["", "server-stderr", "server-stdout"], `port ${port}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: the project's Jupyter folder comes first on JUPYTER_PATH, an inherited one after it", async () => {
  // Before, a user's own `deno` kernelspec on an inherited JUPYTER_PATH would win over the
  // project's (Jupyter takes the first folder that holds a kernel of the name). The inherited one
  // is set for a process of its own: the other lab tests of the parallel suite start servers that
  // inherit this process's environment.
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const python = await fakePython(dir, `echo "$JUPYTER_PATH" > ${dir}/jupyter_path\nexit 3`);
    const config = JSON.stringify({ projectRoot, python, port: freePort() });
    const message = await evalInSubprocess<string>(
      `import { startLabServer } from ${projectModule("lib/notebook_runner/lab_server.ts")};
try {
  await startLabServer(${config});
  console.log(JSON.stringify("the server started"));
} catch (error) {
  console.log(JSON.stringify(error.message));
}`,
      { JUPYTER_PATH: "/elsewhere/jupyter" },
    );
    assertStringIncludes(message, "the server exited with status 3");
    assertEquals(
      await Deno.readTextFile(`${dir}/jupyter_path`),
      `${projectRoot}/.jupyter:/elsewhere/jupyter\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: a server that never answers is stopped after startTimeoutSeconds, with what it started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  const pidFile = `${dir}/stubborn.pid`;
  // A child that ignores SIGTERM (only SIGKILL ends it), then the server itself, which never
  // writes Jupyter's runtime file.
  const python = await fakePython(
    dir,
    `sh -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 60' &\nexec sleep 60`,
  );
  let stubborn: number | undefined;
  try {
    // The wait lasts the whole timeout (a server stopped at once by SIGTERM, so the stop adds
    // nothing).
    const quiet = await fakePython(dir, "exec sleep 60", "quiet_python");
    const start = performance.now();
    await assertRejects(
      () =>
        startLabServer({ projectRoot, python: quiet, port: freePort(), startTimeoutSeconds: 1 }),
      Error,
      "the server did not answer within 1 s",
    );
    const elapsedMs = performance.now() - start;
    assert(elapsedMs >= 1000, `gave up after ${elapsedMs} ms`);
    // 0.2 s: the child is found when the server is stopped, before the first periodic look at
    // its processes (every 0.5 s), and is stopped with SIGKILL.
    await assertRejects(
      () => startLabServer({ projectRoot, python, port: freePort(), startTimeoutSeconds: 0.2 }),
      Error,
      "the server did not answer within 0.2 s",
    );
    stubborn = Number((await Deno.readTextFile(pidFile)).trim());
    assertEquals(running(stubborn), false, `the child ${stubborn} that ignores SIGTERM runs`);
    stubborn = undefined;
  } finally {
    if (stubborn !== undefined) {
      try {
        Deno.kill(stubborn, "SIGKILL");
      } catch {
        // gone already
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: a Python without Jupyter Notebook is named with the import's error, the traceback's last line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const python = `${dir}/python`;
    await Deno.writeTextFile(
      python,
      "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho '  File \"<string>\", " +
        "line 1, in <module>' >&2\necho \"ModuleNotFoundError: No module named 'notebook'\" >&2\n" +
        "exit 1\n",
    );
    await Deno.chmod(python, 0o755);
    assertEquals(
      await labProblem(python),
      `${python} lacks Jupyter Notebook (ModuleNotFoundError: No module named 'notebook'); ` +
        "install Debian's jupyter-notebook (apt-get install jupyter-notebook)",
    );
    await assertRejects(
      () => startLabServer({ projectRoot, python }),
      Error,
      `${python} lacks Jupyter Notebook (ModuleNotFoundError`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: with its range all in use and no port asked for, the error names that range", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  // Every port bound by this test until its end (not checked free, then bound: in between another
  // process could take one, and let it go mid-test).
  const ports = holdLabTestPorts("stand-in: the range all in use", 0);
  try {
    // A server that would start exits at once: a port past the range must not even be tried.
    const python = await fakePython(dir, "exit 3");
    const portRange = ports.range;
    const last = portRange.first + portRange.count - 1;
    await assertRejects(
      () => startLabServer({ projectRoot, python, portRange }),
      Error,
      `ports ${portRange.first}-${last} are all in use; pass --port N`,
    );
  } finally {
    ports.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: other servers taking the port at each start are given up on after 5 ports, naming the last", async () => {
  // Each stand-in leaves its port bound by a process of its own, then exits: as when another
  // server bound the port first. The start tries the next free port, 5 ports in all. The binder
  // sets SO_REUSEADDR, as servers do (Jupyter's tornado, Deno.listen): without it, a port that an
  // earlier test's connections left in TIME_WAIT cannot be bound though the lab sees it free
  // (reproduced: with 8888 in TIME_WAIT the binder failed and the start gave up after one port;
  // in the parallel suite the lab tests before it leave exactly that).
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  const binder = "import socket, sys, time\n" +
    "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" +
    "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()\n" +
    "open(sys.argv[2], 'w').close(); time.sleep(60)";
  const python = await fakePython(
    dir,
    `for a in "$@"; do case "$a" in --port=*) port="\${a#--port=}";; esac; done\n` +
      `echo "$port" >> ${dir}/ports\n` +
      `/usr/bin/python3 -c "${binder}" "$port" ${dir}/bound-$port &\n` +
      `echo $! >> ${dir}/binders\n` +
      `i=0; while [ ! -e ${dir}/bound-$port ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\n` +
      "exit 3",
  );
  const portRange = labTestPorts("stand-in: other servers taking 5 ports");
  const last = portRange.first + portRange.count - 1;
  try {
    const error = await assertRejects(() => startLabServer({ projectRoot, python, portRange }));
    const ports = (await Deno.readTextFile(`${dir}/ports`)).trim().split("\n");
    assertEquals(ports.length, 5, `ports tried: ${ports}`);
    assertEquals(
      (error as Error).message,
      `no port of ${portRange.first}-${last} could be bound (5 servers started): ` +
        `${ports.map((port) => `${port} in use`).join(", ")}; pass --port N`,
    );
  } finally {
    const binders = await Deno.readTextFile(`${dir}/binders`).catch(() => "");
    for (const pid of binders.trim().split("\n").filter(Boolean)) {
      try {
        Deno.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A stand-in whose server, started on a port listed in `dir/refused` (or the first one started
 * after `dir/refuse_next` was made, which it removes), says what Notebook 6.4.12 says when its bind fails
 * (`--port-retries=0`: notebookapp.py, `_bind_http_server_tcp`; the reason "permission" for a
 * port listed with it) and exits 1, the port free all the while: as when another program held the
 * port only briefly, released before the lab looked again. Otherwise it is lab_fake_jupyter.py.
 * Every port it is started on goes to `dir/ports`.
 */
function refusingPython(dir: string): Promise<string> {
  const fake = new URL("./lab_fake_jupyter.py", import.meta.url).pathname;
  const line = (level: string, text: string) =>
    `echo "[${level} 06:11:25.858 NotebookApp] ${text}" >&2`;
  return fakePython(
    dir,
    [
      `for a in "$@"; do case "$a" in --port=*) port="\${a#--port=}";; esac; done`,
      `echo "$port" >> ${dir}/ports`,
      `if [ -e ${dir}/refuse_next ]; then rm ${dir}/refuse_next; reason=use; else`,
      `  reason=$(awk -v p="$port" '$1 == p { print $2 ? $2 : "use"; exit }' ${dir}/refused)`,
      "fi",
      'if [ "$reason" = permission ]; then',
      `  ${line("W", "Permission to listen on port $port denied.")}`,
      'elif [ -n "$reason" ]; then',
      `  ${line("I", "The port $port is already in use.")}`,
      "fi",
      'if [ -n "$reason" ]; then',
      `  ${
        line(
          "C",
          "ERROR: the notebook server could not be started because port $port is not available.",
        )
      }`,
      "  exit 1",
      "fi",
      `exec /usr/bin/python3 ${fake} "$@"`,
    ].join("\n"),
  );
}

Deno.test("lab server: a port its server could not bind, free again when it exited, is passed over for the next one of the range", async () => {
  // It was "the server exited with status 1": the lab looked at the port after Jupyter's exit,
  // found it free and took the exit for another failure (reproduced with the real Jupyter and a
  // listener held from before its bind to after its exit).
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const refusedFile = `${dir}/refused`;
    await Deno.writeTextFile(refusedFile, "");
    const python = await refusingPython(dir);
    const env = { FAKE_EARLY_FILE: `${dir}/asked_early`, FAKE_TERM_FILE: `${dir}/terminated` };
    // The server on the lab's first choice is refused; the next port it tries answers. Its
    // output goes on to this process's (the two lines on the test's stderr), and is read there.
    await Deno.writeTextFile(`${dir}/refuse_next`, "");
    const portRange = labTestPorts("stand-in: a refused port passed over");
    const last = portRange.first + portRange.count - 1;
    const server = await startLabServer({ projectRoot, python, env, portRange });
    try {
      // The range's first port, then the next (every port of the range was free).
      const ports = (await Deno.readTextFile(`${dir}/ports`)).trim().split("\n").map(Number);
      assertEquals(ports, [portRange.first, portRange.first + 1]);
      assertEquals(server.port, ports[1]);
    } finally {
      await server.stop();
    }
    // An explicit port refused so is "in use", as one found taken before the start; "denied"
    // is its own reason. From here the output goes to a log file, read there.
    const logFile = `${dir}/server.log`;
    for (const [reason, says] of [["", " is in use"], ["permission", ": permission denied"]]) {
      const port = freePort();
      await Deno.writeTextFile(refusedFile, `${port} ${reason}\n`);
      await assertRejects(
        () => startLabServer({ projectRoot, python, env, port, logFile }),
        Error,
        `port ${port} on 127.0.0.1${says}`,
      );
    }
    // Every server refused: 5 started, each port named with its reason, the range too.
    await Deno.rename(`${dir}/ports`, `${dir}/ports_before`);
    await Deno.writeTextFile(
      refusedFile,
      portsOf(portRange).map((port) => `${port} ${port % 2 ? "permission" : ""}\n`).join(""),
    );
    const error = await assertRejects(() =>
      startLabServer({ projectRoot, python, env, logFile, portRange })
    );
    const ports = (await Deno.readTextFile(`${dir}/ports`)).trim().split("\n").map(Number);
    assertEquals(ports.length, 5, `ports tried: ${ports}`);
    const reasons = ports.map((port) => `${port} ${port % 2 ? "permission denied" : "in use"}`);
    assertEquals(
      (error as Error).message,
      `no port of ${portRange.first}-${last} could be bound (5 servers started): ` +
        `${reasons.join(", ")}; ` +
        "pass --port N",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: in a session of its own, asked only once its runtime file is written; stop() signals what outlived it, SIGTERM first", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const { python, env } = await fakeJupyter(dir);
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    let stopped = false;
    try {
      const askedEarly = await Deno.stat(`${dir}/asked_early`).then(() => true, () => false);
      assertEquals(askedEarly, false, "the API was asked before the runtime file was written");
      // A session of its own: a Ctrl-C in the launcher's terminal must not reach the server.
      const stat = Deno.readTextFileSync(`/proc/${server.pid}/stat`);
      const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
      assertEquals(session, server.pid, "the server's session");
      // Both children are seen by the periodic look (every 0.5 s) or by stop() itself.
      const report = await server.stop();
      stopped = true;
      assertEquals(report, { exitCode: 0, signalledAfterServer: 2, leftRunning: [] });
      assertEquals(await Deno.readTextFile(`${dir}/terminated`), "stopped\n");
    } finally {
      if (!stopped) await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: stop() ends the periodic look at the server's processes (no /proc scan after it)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  const { readDirSync } = Deno;
  let procScans = 0;
  // The look (every 0.5 s) lists /proc (lib/notebook_runner/processes.ts): counted here.
  Deno.readDirSync = (path) => {
    if (String(path) === "/proc") procScans++;
    return readDirSync(path);
  };
  try {
    const { python, env } = await fakeJupyter(dir);
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    await server.stop();
    const scansAtStop = procScans;
    assert(scansAtStop > 0, "the look never ran");
    // Three periods of the look: a timer left running scans /proc again meanwhile.
    await sleep(1_500);
    assertEquals(procScans, scansAtStop, "/proc scans after stop()");
  } finally {
    Deno.readDirSync = readDirSync;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: stop() names a process that outlives SIGKILL as left running", async () => {
  // No test can make a process that outlives SIGKILL (uninterruptible sleep): one of the
  // server's children is made to look like one, its /proc stat read as it was while it ran.
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  const { readTextFileSync } = Deno;
  try {
    const { python, env } = await fakeJupyter(dir);
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    const [stubborn] = server.children();
    const stat = `/proc/${stubborn.pid}/stat`;
    const asRunning = readTextFileSync(stat);
    Deno.readTextFileSync = (path) => String(path) === stat ? asRunning : readTextFileSync(path);
    const report = await server.stop();
    assertEquals(report.leftRunning, [stubborn.pid]);
  } finally {
    Deno.readTextFileSync = readTextFileSync;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab: a process that outlives SIGKILL is named on stderr, and the lab exits 1", async () => {
  const { code, stdout, stderr } = await runStandInLab(async (lab) => {
    // Stopped as by a Ctrl-C (the server's children are tracked every 0.5 s).
    await sleep(1_000);
    lab.kill("SIGTERM");
    // The child that outlives SIGKILL keeps the output open: read no further.
    return "stop reading" as const;
  }, "tests/notebook_runner/_unkillable_child_lab.ts");
  assertEquals(code, 1, stdout + stderr);
  assert(/^lab: processes still running: \d+$/m.test(stderr), stderr);
});

Deno.test("lab server: a server that answers, but not with 200, has not started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const { python, env } = await fakeJupyter(dir, { FAKE_REFUSE: "1" });
    await assertRejects(
      () => startLabServer({ projectRoot, python, port: freePort(), env, startTimeoutSeconds: 2 }),
      Error,
      "the server did not answer within 2 s",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab server: aborting the start stops the server at once, not at the start's timeout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const python = await fakePython(dir, "exec sleep 60");
    const stop = new AbortController();
    const reason = new Error("stopped by the test");
    setTimeout(() => stop.abort(reason), 300);
    const start = performance.now();
    const error = await assertRejects(() =>
      startLabServer({
        projectRoot,
        python,
        port: freePort(),
        startTimeoutSeconds: 60,
        signal: stop.signal,
      })
    );
    assertEquals(error, reason);
    // Honoured within a round of the wait (0.25 s) and the stop; 30 s is far from either.
    const elapsedS = (performance.now() - start) / 1000;
    assert(elapsedS < 30, `the start went on for ${elapsedS} s after the abort`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** `scripts/lab.ts ...args` (the lab's own task flags do not matter here) with `env` added. */
async function labRun(env: Record<string, string>, ...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/lab.ts", ...args],
    cwd: projectRoot,
    // A Python that does not exist: a server start that got through by mistake fails at once.
    env: { DEMURE_JUPYTER_PYTHON: "/nonexistent/python3", DEMURE_RERUN: "0", ...env },
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("lab: --help, a --port outside 1..65535 and a kernel flag the kernels would refuse answer before any server starts", async () => {
  // DEMURE_QUICK=yes would fail every kernel: `lab` refuses it, but only after --help and --port
  // (found by mutation round FE, FE26-FE28).
  const quickYes = { DEMURE_QUICK: "yes" };
  const help = await labRun(quickYes, "--help");
  assertEquals([help.code, help.stderr], [0, ""]);
  assert(help.stdout.startsWith("usage: ./run.sh lab [--port N]"), help.stdout);
  for (const port of ["0", "65536"]) {
    assertEquals(await labRun(quickYes, "--port", port), {
      code: 2,
      stdout: "",
      stderr: `lab: --port ${port}: must be an integer in 1..65535; see --help\n`,
    });
  }
  assertEquals(await labRun(quickYes), {
    code: 2,
    stdout: "",
    stderr: 'lab: DEMURE_QUICK="yes": must be 1 or true (on), 0 or false (off) ' +
      "(read by every notebook's kernel)\n",
  });
});

/**
 * Runs `script` (`./run.sh lab`'s unless given) on a stand-in Jupyter and reads its output to the
 * end (its last lines come after the server stops); `onServing` acts once, when it says it serves,
 * and may end the reading there.
 */
async function runStandInLab(
  onServing: (lab: Deno.ChildProcess) => Promise<"stop reading" | void> | "stop reading" | void,
  script = "scripts/lab.ts",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "lab_stand_in_" });
  try {
    const { python, env } = await fakeJupyter(dir);
    const lab = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, "--port", `${freePort()}`],
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
        if (await onServing(lab) === "stop reading") break;
      }
    }
    const [status, errors] = await Promise.all([lab.status, stderr]);
    return { code: status.code, stdout, stderr: errors };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("lab: stopped by SIGTERM once started, it exits 0 and says how many processes needed a signal", async () => {
  const { code, stdout, stderr } = await runStandInLab(async (lab) => {
    // Both children seen by the look every 0.5 s: stopped as by `kill`.
    await sleep(1_000);
    lab.kill("SIGTERM");
  });
  assertEquals(code, 0, stdout + stderr);
  assert(stdout.includes("\nlab: stopping (SIGTERM)\n"), stdout);
  assert(
    stdout.endsWith(
      "lab: server and kernels stopped (2 processes needed a signal after the server)\n",
    ),
    stdout,
  );
});

Deno.test("lab: a server that ends by itself is exit status 1, its status named on stderr", async () => {
  // The same as lab_lifecycle_test.ts with Jupyter, in seconds and without it (found by
  // mutation round FE, FE33).
  const { code, stdout, stderr } = await runStandInLab((lab) => {
    // The server (the stand-in Python, exec'd by its launcher script) is the lab's child.
    const [server] = childrenOf(lab.pid, "lab_fake_jupyter.py");
    assert(server !== undefined, "no server process under the lab");
    Deno.kill(server, "SIGKILL");
  });
  assertEquals(code, 1, stdout + stderr);
  assert(
    stderr.includes(
      "lab: the notebook server exited on its own with status 137 (its log is above); " +
        "stopping its kernels\n",
    ),
    stderr,
  );
});
