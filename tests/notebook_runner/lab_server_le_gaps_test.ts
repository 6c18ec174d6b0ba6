/**
 * startLabServer's behaviour that mutation round LE found unpinned, with stand-ins for Jupyter (a
 * shell script given as `python`; no Jupyter needed): a log file from an earlier start is
 * replaced, not added to; a log file that cannot be written (a full disk) neither blocks the
 * server nor loses the end of its output; a signal aborted before the start starts nothing; a log
 * line about another port is no reason this port was refused; an early exit's quoted lines lose
 * their line ends (CRLF) and blank ones; a Python that cannot be started is named with the
 * system's reason, and an import check failing with any status is a problem; a failed start leaves its log file closed.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { fakePython, freePort, inTempDir, startError } from "./_lab_stand_ins.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("lab server LE gaps: a log file left by an earlier start is replaced by this start's", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE01).
    const logFile = `${dir}/server.log`;
    await Deno.writeTextFile(logFile, "an earlier start's log, longer than this one's\n");
    const python = await fakePython(dir, "echo this-start\nexit 3");
    await startError({ projectRoot, python, port: freePort(), logFile });
    assertEquals(await Deno.readTextFile(logFile), "this-start\n");
  }));

/** How many of this process's file descriptors are open on `path`. */
function openOn(path: string): number {
  let count = 0;
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${entry.name}`) === path) count++;
    } catch {
      // closed since the listing
    }
  }
  return count;
}

Deno.test("lab server LE gaps: a failed start leaves its log file closed", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE11): the file stayed open for the life of the process.
    const logFile = `${dir}/server.log`;
    const python = await fakePython(dir, "echo bye\nexit 3");
    await startError({ projectRoot, python, port: freePort(), logFile });
    assertEquals(openOn(await Deno.realPath(logFile)), 0);
  }));

Deno.test("lab server LE gaps: a log file that cannot be written neither blocks the server nor loses the end of its output", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE02, LE03). /dev/full: every write fails (ENOSPC). 300 KB is
    // far more than a pipe holds: a server whose output is no longer read blocks on it, and
    // would end only at the start's timeout.
    const python = await fakePython(
      dir,
      "head -c 300000 /dev/zero | tr '\\0' x\necho\necho the-last-line\nexit 4",
    );
    const message = await startError({
      projectRoot,
      python,
      port: freePort(),
      logFile: "/dev/full",
      startTimeoutSeconds: 20,
    });
    assert(message.startsWith("the server exited with status 4; the end of its log:"), message);
    assert(message.endsWith("\n  the-last-line"), message.slice(-100));
  }));

Deno.test("lab server LE gaps: a signal aborted before the start starts nothing, and opens no log file", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE04): a server was started, then stopped at its first look.
    const python = await fakePython(dir, `touch ${dir}/started\nsleep 30`);
    const logFile = `${dir}/server.log`;
    const reason = new Error("stopped before the start");
    const error = await assertRejects(() =>
      startLabServer({
        projectRoot,
        python,
        port: freePort(),
        logFile,
        signal: AbortSignal.abort(reason),
      })
    );
    assertEquals(error, reason);
    assertEquals([await pathExists(logFile), await pathExists(`${dir}/started`)], [false, false]);
  }));

Deno.test("lab server LE gaps: a log line about another port in use is no reason this port was refused", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE05): any "is already in use" was taken for this port's.
    const port = freePort();
    const other = port === 65535 ? port - 1 : port + 1;
    const python = await fakePython(
      dir,
      `echo "[I 06:11:25.858 NotebookApp] The port ${other} is already in use."\nexit 3`,
    );
    assertEquals(
      await startError({ projectRoot, python, port, logFile: `${dir}/server.log` }),
      "the server exited with status 3; the end of its log:\n" +
        `  [I 06:11:25.858 NotebookApp] The port ${other} is already in use.`,
    );
  }));

Deno.test("lab server LE gaps: an early exit's quoted lines lose CRLF ends and trailing blanks; blank lines are left out", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE08).
    const python = await fakePython(dir, "printf 'one  \\r\\n  \\r\\ntwo\\t\\r\\n'\nexit 6");
    assertEquals(
      await startError({ projectRoot, python, port: freePort(), logFile: `${dir}/server.log` }),
      "the server exited with status 6; the end of its log:\n  one\n  two",
    );
  }));

Deno.test("labProblem: a Python that cannot be started is named with the system's reason and what to install", async () => {
  // Found by mutation round LE (LE15).
  const python = "/nonexistent/python3";
  const problem = await labProblem(python) ?? "";
  assert(problem.startsWith(`cannot run ${python} (`), problem);
  assertStringIncludes(problem, "No such file or directory");
  assert(
    problem.endsWith(
      "); install Debian's jupyter-notebook (apt-get install jupyter-notebook)",
    ),
    problem,
  );
});

Deno.test("labProblem: an import check that fails with any status but 0 is a problem, named with its last line", () =>
  inTempDir(async (dir) => {
    // Found by mutation round LE (LE14): only the usual status 1 was pinned.
    const python = `${dir}/python`;
    await Deno.writeTextFile(
      python,
      "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'Fatal: broken' >&2\nexit 2\n",
    );
    await Deno.chmod(python, 0o755);
    assertEquals(
      await labProblem(python),
      `${python} lacks Jupyter Notebook (Fatal: broken); ` +
        "install Debian's jupyter-notebook (apt-get install jupyter-notebook)",
    );
  }));
