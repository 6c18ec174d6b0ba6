/**
 * The processes a server started, found through Linux's `/proc`: kernels run in sessions of their
 * own (jupyter_client starts them with `start_new_session`), so neither a process group nor a
 * session reaches them; their parent link does, until the server exits and they are re-parented.
 * A process is identified by its pid and its start time, so a reused pid is never signalled.
 *
 * Deno 2.9 reads `/proc` only under `--allow-all` (`NotCapable` otherwise), so under the tasks'
 * scoped permissions the same facts come from procps's `ps` (`--allow-run=/usr/bin/ps`; its start
 * time has a resolution of one second instead of one clock tick), and signals go through procps's
 * `kill` (`Deno.kill` needs `--allow-run` for every program).
 */

/** A process seen alive: pid and start time (clock ticks since boot, `/proc/<pid>/stat` field 22). */
export interface ProcessId {
  pid: number;
  startTime: string;
}

interface ProcessStat extends ProcessId {
  parent: number;
  /** One letter: R running, S sleeping, Z zombie (exited, not yet reaped), ... */
  state: string;
}

/** procps's `ps`, used where `/proc` cannot be read. */
export const PS = "/usr/bin/ps";

let procReadable: boolean | undefined;

/** Whether this process may read `/proc` (Deno 2.9: only under `--allow-all`). */
function canReadProc(): boolean {
  if (procReadable === undefined) {
    try {
      Deno.readTextFileSync("/proc/self/stat");
      procReadable = true;
    } catch {
      procReadable = false; // NotCapable under scoped permissions
    }
  }
  return procReadable;
}

/** `ps` lines "pid ppid state start" for `selection` (`["-e"]` or `["-p", pid]`). */
function psStats(selection: string[]): ProcessStat[] {
  const output = new Deno.Command(PS, {
    args: [...selection, "-o", "pid=,ppid=,stat=,lstart="],
    env: { LC_ALL: "C", TZ: "UTC" },
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  // Exit status 1 with no lines: no such process.
  const stats: ProcessStat[] = [];
  for (const line of new TextDecoder().decode(output.stdout).split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!match) continue;
    stats.push({
      pid: Number(match[1]),
      parent: Number(match[2]),
      state: match[3][0],
      startTime: match[4],
    });
  }
  return stats;
}

function readStat(pid: number): ProcessStat | undefined {
  if (!canReadProc()) return psStats(["-p", String(pid)])[0];
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return undefined; // exited meanwhile
  }
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { pid, state: fields[0], parent: Number(fields[1]), startTime: fields[19] };
}

function allProcesses(): ProcessStat[] {
  if (!canReadProc()) return psStats(["-e"]);
  const stats: ProcessStat[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = readStat(Number(entry.name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Every live descendant of `root` (children, their children, ...), not `root` itself. */
export function descendantsOf(root: number): ProcessId[] {
  const children = new Map<number, ProcessStat[]>();
  for (const stat of allProcesses()) {
    const siblings = children.get(stat.parent) ?? [];
    siblings.push(stat);
    children.set(stat.parent, siblings);
  }
  const found: ProcessId[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push({ pid: child.pid, startTime: child.startTime });
      queue.push(child.pid);
    }
  }
  return found;
}

/** True when the process `id` names is still running (same pid, same start time, not a zombie). */
export function isAlive(id: ProcessId): boolean {
  const stat = readStat(id.pid);
  return stat !== undefined && stat.startTime === id.startTime && stat.state !== "Z";
}

/** procps's `kill`, used where `Deno.kill` is not allowed (it needs `--allow-run` for everything). */
export const KILL = "/usr/bin/kill";

/** Sends `signal` to `id` if it is still the same live process. */
export function signalIfAlive(id: ProcessId, signal: Deno.Signal): void {
  if (!isAlive(id)) return;
  try {
    Deno.kill(id.pid, signal);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    // Exit status 1: the process ended meanwhile.
    new Deno.Command(KILL, { args: ["-s", signal, String(id.pid)], stderr: "null" }).outputSync();
  }
}
