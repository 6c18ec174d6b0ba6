/**
 * holdLabTestPorts (_lab_test_ports.ts), on which the lab tests that need ports of their range in
 * use rely: the ports it returns held are bound by this process until `close()` (nobody else can
 * take one meanwhile), the ones before them free; a block where a port to hold is in use elsewhere
 * is passed over with nothing of it left bound; `close()` lets every held port go, once.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { isPortFree } from "../../lib/notebook_runner/lab_server.ts";
import { holdLabTestPorts, labTestPorts, portsOf } from "./_lab_test_ports.ts";

/** Binding `port` on 127.0.0.1 fails with AddrInUse: something holds it. */
function assertHeld(port: number) {
  let bound = false;
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    bound = true;
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
  }
  assert(!bound, `port ${port} could be bound: not held`);
}

Deno.test("holdLabTestPorts: the ports from holdFrom on are bound until close(), the ones before free", () => {
  const ports = holdLabTestPorts("ports: held ports of a range", 3);
  let closed = false;
  try {
    const all = portsOf(ports.range);
    assertEquals(ports.held, all.slice(3));
    for (const port of ports.held) assertHeld(port);
    for (const port of all.slice(0, 3)) assert(isPortFree(port), `port ${port} is not free`);
    ports.close();
    closed = true;
    for (const port of all) assert(isPortFree(port), `port ${port} still held after close()`);
    ports.close(); // a second close does nothing (a listener closed twice would throw)
  } finally {
    if (!closed) ports.close();
  }
});

Deno.test("holdLabTestPorts: a block where a port to hold is in use elsewhere is passed over, nothing of it kept bound", () => {
  // The range the slot gets first (free now), its last port then taken by another listener: as
  // another process of the suite holding it. It was tolerated as "in use all the same", and its
  // holder could let it go mid-test.
  const slot = "ports: a held port taken elsewhere";
  const first = portsOf(labTestPorts(slot));
  const elsewhere = Deno.listen({ hostname: "127.0.0.1", port: first[first.length - 1] });
  try {
    const ports = holdLabTestPorts(slot, 0);
    try {
      assertNotEquals(ports.range.first, first[0]);
      for (const port of ports.held) assertHeld(port);
      // What the passed-over block had bound before it met the port in use is let go again.
      for (const port of first.slice(0, -1)) assert(isPortFree(port), `port ${port} kept bound`);
    } finally {
      ports.close();
    }
  } finally {
    elsewhere.close();
  }
});
