/**
 * Stand-ins for the lab server's tests (lab_stand_in_test.ts, lab_server_gaps_test.ts,
 * check_lab_stop_test.ts): a Python that runs a shell body for `-m notebook`, the fake Jupyter
 * behind it, a free port, and the look at the processes left. One home, so that the files'
 * stand-ins cannot drift apart.
 */

/** A stand-in for Python: `-c` (the import check) succeeds, `-m notebook` runs `body`. */
export async function fakePython(dir: string, body: string, name = "python"): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, `#!/bin/sh\n[ "$1" = "-c" ] && exit 0\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

/** lab_fake_jupyter.py as the server, its files in `dir` (see that file). */
export async function fakeJupyter(
  dir: string,
  more: Record<string, string> = {},
): Promise<{ python: string; env: Record<string, string> }> {
  const fake = new URL("./lab_fake_jupyter.py", import.meta.url).pathname;
  return {
    python: await fakePython(dir, `exec /usr/bin/python3 ${fake} "$@"`),
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
