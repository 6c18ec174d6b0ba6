/**
 * startLabServer's behaviour that mutation round RA found unpinned, with stand-ins for Jupyter (a
 * shell script or a small Python server given as `python`; no Jupyter needed): log lines about
 * another port's refusal ("denied", "not available") are no reason this port was refused; a
 * missing Jupyter is named before a busy explicit port; a server slow to shut down on SIGTERM is
 * waited for, and its exit status reported; with a log file none of the server's output reaches
 * this process's own; a port held on another address than 127.0.0.1 is free for the lab; an
 * import check failing without a word is named with its exit status; a start refused for either
 * reason writes no kernelspec into the project; a server that exited leaves no pipe open.
 */
import { assertEquals } from "@std/assert";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { fakePython, freePort, inTempDir, startError } from "./_lab_stand_ins.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** A port next to `port` (not `port`). */
const otherThan = (port: number) => port === 65535 ? port - 1 : port + 1;

for (
  const [what, line] of [
    ["denied", (other: number) => `Permission to listen on port ${other} denied.`],
    [
      "not available",
      (other: number) =>
        `ERROR: the notebook server could not be started because port ${other} is not available.`,
    ],
  ] as const
) {
  Deno.test(`lab server RA gaps: a log line saying another port was ${what} is no reason this port was refused`, () =>
    inTempDir(async (dir) => {
      // Found by mutation round RA (RA03, RA04): the round LE test covers "in use" only.
      const port = freePort();
      const said = `[W 06:11:25.858 NotebookApp] ${line(otherThan(port))}`;
      const python = await fakePython(dir, `echo "${said}"\nexit 3`);
      assertEquals(
        await startError({ projectRoot, python, port, logFile: `${dir}/server.log` }),
        `the server exited with status 3; the end of its log:\n  ${said}`,
      );
    }));
}

Deno.test("lab server RA gaps: a Python without Jupyter is named before an explicit port found in use", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA10): installing Jupyter is the first thing to do; the port
    // may well be free by then.
    const python = `${dir}/python`;
    await Deno.writeTextFile(
      python,
      "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'notebook'\" >&2\nexit 1\n",
    );
    await Deno.chmod(python, 0o755);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      assertEquals(
        await startError({ projectRoot, python, port }),
        `${python} lacks Jupyter Notebook (ModuleNotFoundError: No module named 'notebook'); ` +
          "install Debian's jupyter-notebook (apt-get install jupyter-notebook)",
      );
    } finally {
      listener.close();
    }
  }));

/**
 * A server that answers as Jupyter does once its runtime file is written, and that takes 3 s to
 * shut down on SIGTERM (its kernels), then exits 7.
 */
const SLOW_TO_STOP = `import http.server, json, os, signal, sys, threading, time
port = int(next(a for a in sys.argv if a.startswith("--port=")).split("=", 1)[1])
info = os.path.join(os.environ["JUPYTER_RUNTIME_DIR"], f"nbserver-{os.getpid()}.json")
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.makedirs(os.path.dirname(info), exist_ok=True)
with open(info, "w") as f:
    json.dump({"port": port}, f)
def stop(*_):
    time.sleep(3)
    os.remove(info)
    os._exit(7)
signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(0.1)
`;

Deno.test("lab server RA gaps: stop() waits for a server that takes a few seconds to shut down, and reports its exit status", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA07): Jupyter's shutdown waits for each kernel; a server
    // killed after 2 s had its kernels killed with it, unasked, and reported no exit status.
    await Deno.writeTextFile(`${dir}/slow.py`, SLOW_TO_STOP);
    const python = await fakePython(dir, `exec /usr/bin/python3 ${dir}/slow.py "$@"`);
    const server = await startLabServer({ projectRoot, python, port: freePort() });
    const report = await server.stop();
    assertEquals(report, { exitCode: 7, signalledAfterServer: 0, leftRunning: [] });
  }));

Deno.test("lab server RA gaps: with a log file the server's output goes there only, none of it to this process's own", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA52): a terminal the log file was meant to keep quiet.
    const python = await fakePython(dir, "echo to-stdout\necho to-stderr >&2\nexit 3");
    const logFile = `${dir}/server.log`;
    const module = new URL("../../lib/notebook_runner/lab_server.ts", import.meta.url).href;
    // In a process of its own: the server's output would be this process's stdout and stderr.
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { startLabServer } from "${module}";\n` +
        `await startLabServer(${
          JSON.stringify({ projectRoot, python, port: freePort(), logFile })
        }).catch(() => {});`,
      ],
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    assertEquals(output.code, 0, decoder.decode(output.stderr));
    assertEquals([decoder.decode(output.stdout), decoder.decode(output.stderr)], ["", ""]);
    const logged = (await Deno.readTextFile(logFile)).split("\n").sort();
    assertEquals(logged, ["", "to-stderr", "to-stdout"]);
  }));

Deno.test("lab server RA gaps: a port another program holds on another address than 127.0.0.1 is free for the lab", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA62): the server binds 127.0.0.1 only (--ip), so only a
    // holder of 127.0.0.1 (or of every address) takes its port.
    const listener = Deno.listen({ hostname: "127.0.0.2", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      const python = await fakePython(dir, "echo started\nexit 3");
      assertEquals(
        await startError({ projectRoot, python, port }),
        "the server exited with status 3; the end of its log:\n  started",
      );
    } finally {
      listener.close();
    }
  }));

Deno.test("labProblem: an import check that fails without a word is a problem, named with its exit status", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA28): a silent failure was named "()".
    const python = `${dir}/python`;
    await Deno.writeTextFile(python, "#!/bin/sh\nexit 2\n");
    await Deno.chmod(python, 0o755);
    assertEquals(
      await labProblem(python),
      `${python} lacks Jupyter Notebook (the import check exited with status 2); ` +
        "install Debian's jupyter-notebook (apt-get install jupyter-notebook)",
    );
  }));

Deno.test("lab server RA gaps: a start refused for a missing Jupyter or a busy explicit port writes nothing into the project", () =>
  inTempDir(async (dir) => {
    // Found by mutation round RA (RA74): the kernelspec (.jupyter/) is written only for a start
    // that can go ahead.
    const root = `${dir}/project`;
    await Deno.mkdir(root);
    const noJupyter = `${dir}/python`;
    await Deno.writeTextFile(noJupyter, "#!/bin/sh\necho 'No module named notebook' >&2\nexit 1\n");
    await Deno.chmod(noJupyter, 0o755);
    await startError({ projectRoot: root, python: noJupyter, port: freePort() });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      const python = await fakePython(dir, "exit 3", "with_jupyter");
      assertEquals(
        await startError({ projectRoot: root, python, port }),
        `port ${port} on 127.0.0.1 is in use`,
      );
    } finally {
      listener.close();
    }
    assertEquals([...Deno.readDirSync(root)], []);
  }));

Deno.test("lab server RA gaps: a server that exited leaves no pipe of this process open (its stdin let go)", async () => {
  // Found by mutation round RA (RA17): each failed start left the server's stdin pipe open.
  // Counted in a process of its own: the suite's other tests, run side by side in this one,
  // open and close pipes of their own meanwhile (a count here failed by one now and then).
  const counts = await evalInSubprocess<{ before: number; after: number }>(`
    import { fakePython, freePort, inTempDir, startError } from ${
    projectModule("tests/notebook_runner/_lab_stand_ins.ts")
  };
    const pipesOpen = () => {
      let count = 0;
      for (const entry of Deno.readDirSync("/proc/self/fd")) {
        try {
          if (Deno.readLinkSync("/proc/self/fd/" + entry.name).startsWith("pipe:")) count++;
        } catch {
          // closed since the listing
        }
      }
      return count;
    };
    let counts = { before: -1, after: -2 };
    await inTempDir(async (dir) => {
      const python = await fakePython(dir, "exit 3");
      const config = { projectRoot: ${JSON.stringify(projectRoot)}, python };
      await startError({ ...config, port: freePort() });
      const before = pipesOpen();
      await startError({ ...config, port: freePort() });
      await startError({ ...config, port: freePort() });
      counts = { before, after: pipesOpen() };
    });
    console.log(JSON.stringify(counts));
  `);
  assertEquals(counts.after, counts.before);
});
