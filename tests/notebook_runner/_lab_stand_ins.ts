/**
 * Stand-ins for the lab server's tests (lab_stand_in_test.ts, lab_server_gaps_test.ts,
 * lab_server_le_gaps_test.ts, check_lab_stop_test.ts): a Python that runs a shell body for the
 * server's start, the fake Jupyter behind it, a free port, the look at the processes left, a
 * temporary folder per test and the error a start rejects with. One home, so that the files'
 * stand-ins cannot drift apart.
 */
import { assertRejects } from "@std/assert";
import { startLabServer } from "../../lib/notebook_runner/lab_server.ts";

/**
 * A stand-in for Python: the import check (`-c "import notebook.notebookapp"`) succeeds; the
 * server's start (`-c <the launcher's wrapper> <server arguments>`) runs `body` with the server's
 * arguments as `"$@"` and the wrapper's source in `$wrapper`.
 */
export async function fakePython(dir: string, body: string, name = "python"): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(
    path,
    "#!/bin/sh\n" +
      'if [ "$1" = "-c" ]; then\n' +
      '  [ "$2" = "import notebook.notebookapp" ] && exit 0\n' +
      '  wrapper="$2"\n' +
      "  shift 2\n" +
      "fi\n" +
      `${body}\n`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

/**
 * lab_fake_jupyter.py as the server, its files in `dir` (see that file). It runs as the real one
 * does, under the launcher's wrapper (which stops it when the launcher is gone): Python finds a
 * package `notebook` in `dir` first, whose `__main__` runs the fake.
 */
export async function fakeJupyter(
  dir: string,
  more: Record<string, string> = {},
): Promise<{ python: string; env: Record<string, string> }> {
  const fake = new URL("./lab_fake_jupyter.py", import.meta.url).pathname;
  const modules = `${dir}/fake_modules`;
  await Deno.mkdir(`${modules}/notebook`, { recursive: true });
  await Deno.writeTextFile(`${modules}/notebook/__init__.py`, "");
  await Deno.writeTextFile(
    `${modules}/notebook/__main__.py`,
    `import runpy\nrunpy.run_path(${JSON.stringify(fake)}, run_name="__main__")\n`,
  );
  return {
    python: await fakePython(
      dir,
      // `-X` (ignored by Python) keeps the fake's name in its command line, where tests find it.
      `PYTHONPATH=${modules} exec /usr/bin/python3 -X fake=lab_fake_jupyter.py -c "$wrapper" "$@"`,
    ),
    env: { FAKE_EARLY_FILE: `${dir}/asked_early`, FAKE_TERM_FILE: `${dir}/terminated`, ...more },
  };
}

/** A port nothing listens on now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Whether `pid` is a process that has not exited (a zombie has). */
export function running(pid: number): boolean {
  try {
    return !/\) Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/** The pids of the processes whose parent is `parent` and whose command line holds `word`. */
export function childrenOf(parent: number, word: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      if (
        Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent &&
        Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(word)
      ) {
        pids.push(Number(entry.name));
      }
    } catch {
      // it has exited meanwhile
    }
  }
  return pids;
}

/** Runs `body` with a fresh temporary folder, removed after it. */
export async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lab_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The message of the error `startLabServer(config)` rejects with. */
export async function startError(config: Parameters<typeof startLabServer>[0]): Promise<string> {
  return (await assertRejects(() => startLabServer(config))).message;
}
