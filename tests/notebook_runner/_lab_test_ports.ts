/**
 * The port ranges (LabServerConfig.portRange) of the lab tests whose server picks its own port, or
 * that hold ports of the range: each test its own range, well above the default 8888-8937. There,
 * a server already on 8888 (a user's own `./run.sh lab`, another checkout's Jupyter) took a port
 * the tests counted on (CI of 2026-12-06 17:21: "the default range's end reached before 5 servers"
 * got "ports 8888-8937 are all in use"); and the tests' own listeners and servers met on the one
 * range, which a lock on it had to order (the lock is gone: no two tests share a range now).
 *
 * A range is a slot of a block: the block is derived from the pid (one block per test process;
 * the suite's files run in workers of one process, so the slot keeps their tests apart), and a
 * block whose slot has a port in use (another process's, or another program's) is passed over
 * for the next one.
 *
 * A test that needs ports of its range in use takes them with {@linkcode holdLabTestPorts}: bound
 * by this process from the moment they are found free to the test's end. Checked free, then bound
 * by the test, a port could be taken in between (a clean-clone CI: AddrInUse at the test's own
 * bind), and one another process held instead of the test could be let go mid-test, free again
 * where the test counts it in use.
 */
import { isPortFree, type LabPortRange } from "../../lib/notebook_runner/lab_server.ts";

/** Each test that needs a range, by the slot it gets: one entry per test, never two. */
const SLOTS = [
  "gaps: the range's end reached before 5 servers",
  "stand-in: an early exit without a port",
  "stand-in: the range all in use",
  "stand-in: other servers taking 5 ports",
  "stand-in: a refused port passed over",
  "live: two started at once without a port",
  "check_lab: stopped while the browser runs",
  "check_lab: stopped while the server starts",
  "check_lab: stopped while Chromium loads the page",
  "check_lab: a browser that exits at once",
  "check_lab: a browser that closes its pipe and hangs",
  "check_lab: a browser that is not executable",
  "check_lab: a browser outside --allow-run",
  "ports: held ports of a range",
  "ports: a held port taken elsewhere",
] as const;

/** A test that needs a range of its own. */
export type LabTestSlot = typeof SLOTS[number];

/** Ports of one range: more than the 5 servers a start tries, fewer than the default 50. */
const PORTS_PER_SLOT = 10;
const PORTS_PER_BLOCK = SLOTS.length * PORTS_PER_SLOT;
/**
 * 21000-31999: above the single ports lab_server_test and lab_lifecycle_test derive from the pid
 * (18000-20999), below the ports Linux hands out for port 0 and outgoing connections (32768 up).
 */
const FIRST_PORT = 21_000;
const BLOCKS = Math.floor((32_000 - FIRST_PORT) / PORTS_PER_BLOCK);

/** The ranges `slot` may get, one per block, the pid's block first. */
function* candidateRanges(slot: LabTestSlot): Generator<LabPortRange> {
  const offset = SLOTS.indexOf(slot) * PORTS_PER_SLOT;
  for (let tried = 0; tried < BLOCKS; tried++) {
    const first = FIRST_PORT + ((Deno.pid + tried) % BLOCKS) * PORTS_PER_BLOCK + offset;
    yield { first, count: PORTS_PER_SLOT };
  }
}

const noFreeRange = (slot: LabTestSlot) =>
  new Error(`no ${PORTS_PER_SLOT} free ports for "${slot}" in ${FIRST_PORT}-31999`);

/** The range of the test `slot`, every port of it free now. */
export function labTestPorts(slot: LabTestSlot): LabPortRange {
  for (const range of candidateRanges(slot)) {
    if (portsOf(range).every(isPortFree)) return range;
  }
  throw noFreeRange(slot);
}

/** A test's range with its ports from one on bound by this process (in use), until `close()`. */
export interface HeldLabTestPorts {
  /** The range: its ports before the held ones free when it was returned. */
  range: LabPortRange;
  /** The ports bound on 127.0.0.1 by this process, first to last. */
  held: number[];
  /** Lets the held ports go; a second call does nothing. */
  close(): void;
}

/**
 * The range of the test `slot` with its ports from index `holdFrom` on bound by this process
 * (`holdFrom` 0: all of them) and the ones before free now. The bind is the check: a block where
 * one of them is in use is passed over, what this call bound there let go first.
 */
export function holdLabTestPorts(slot: LabTestSlot, holdFrom: number): HeldLabTestPorts {
  for (const range of candidateRanges(slot)) {
    const ports = portsOf(range);
    const listeners: Deno.Listener[] = [];
    const close = () => {
      for (const listener of listeners.splice(0)) listener.close();
    };
    try {
      for (const port of ports.slice(holdFrom)) {
        listeners.push(Deno.listen({ hostname: "127.0.0.1", port }));
      }
      if (ports.slice(0, holdFrom).every(isPortFree)) {
        return { range, held: ports.slice(holdFrom), close };
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) {
        close();
        throw error;
      }
    }
    close();
  }
  throw noFreeRange(slot);
}

/** The ports of `range`, first to last. */
export function portsOf(range: LabPortRange): number[] {
  return [...Array(range.count).keys()].map((index) => range.first + index);
}
