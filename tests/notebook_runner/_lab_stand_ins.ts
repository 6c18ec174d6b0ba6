/**
 * Stand-ins for the lab server's tests (lab_stand_in_test.ts, lab_server_gaps_test.ts): a Python
 * that runs a shell body for `-m notebook`, the fake Jupyter behind it, and a free port. One
 * home, so that the two files' stand-ins cannot drift apart.
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
