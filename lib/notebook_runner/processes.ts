/**
 * The processes a server started, found through Linux's `/proc`: kernels run in sessions of their
 * own (jupyter_client starts them with `start_new_session`), so neither a process group nor a
 * session reaches them; their parent link does, until the server exits and they are re-parented.
 * A process is identified by its pid and its start time, so a reused pid is never signalled.
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

function readStat(pid: number): ProcessStat | undefined {
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

/** Sends `signal` to `id` if it is still the same live process. */
export function signalIfAlive(id: ProcessId, signal: Deno.Signal): void {
  if (!isAlive(id)) return;
  try {
    Deno.kill(id.pid, signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
