/**
 * EventLoopTurns.yieldIfDue stops at once on an interrupt requested after the loop began, even
 * when no turn is due yet (a long interval), and not on one requested before it began.
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { EventLoopTurns } from "../../lib/util/event_loop.ts";
import { InterruptedError, requestInterrupt } from "../../lib/util/interrupt.ts";

Deno.test("yieldIfDue: an interrupt stops a loop whose next turn is not due yet", async () => {
  requestInterrupt();
  const loop = new EventLoopTurns(3_600_000); // no turn due for an hour
  await loop.yieldIfDue(); // the request before the loop began does not stop it
  requestInterrupt();
  await assertRejects(() => loop.yieldIfDue(), InterruptedError);
});

Deno.test("yieldIfDue: an interrupt requested during its turn stops the loop after that turn", async () => {
  const loop = new EventLoopTurns(0); // a turn at every call
  // Queued before the turn's own timer: it runs inside the turn.
  setTimeout(requestInterrupt, 0);
  await assertRejects(() => loop.yieldIfDue(), InterruptedError);
});

Deno.test("yieldIfDue: after a turn the next one waits a full interval again", async () => {
  // Found by mutation round GB (GB17): without restarting the clock at a turn, every call after
  // the first due one turned. The clock is stubbed, so nothing here depends on real time.
  const realNow = performance.now;
  let now = 0;
  performance.now = () => now;
  try {
    const loop = new EventLoopTurns(1000);
    /** Whether a timer queued before the call ran during it (the call gave the loop a turn). */
    const turned = async () => {
      let ran = false;
      const timer = setTimeout(() => ran = true, 0);
      await loop.yieldIfDue();
      clearTimeout(timer);
      return ran;
    };
    assertEquals(await turned(), false, "not due yet");
    now = 1000;
    assertEquals(await turned(), true, "due: a turn");
    assertEquals(await turned(), false, "just turned: not due again");
    now = 1999;
    assertEquals(await turned(), false, "999 ms after the turn");
    now = 2000;
    assertEquals(await turned(), true, "a full interval after the turn");
  } finally {
    performance.now = realNow;
  }
});

Deno.test("yieldIfDue: the first turn is a full interval after the loop began, by default 1000 ms", async () => {
  // Found by mutation round JK (JK29, JK30): the clock starts when the loop is made, not at the
  // process's start, and the default interval is the documented 1000 ms. The clock is stubbed.
  const realNow = performance.now;
  let now = 50_000;
  performance.now = () => now;
  try {
    const loop = new EventLoopTurns();
    assertEquals(loop.intervalMs, 1000);
    const turned = async () => {
      let ran = false;
      const timer = setTimeout(() => ran = true, 0);
      await loop.yieldIfDue();
      clearTimeout(timer);
      return ran;
    };
    assertEquals(await turned(), false, "just began");
    now = 50_999;
    assertEquals(await turned(), false, "999 ms after it began");
    now = 51_000;
    assertEquals(await turned(), true, "a full interval after it began");
  } finally {
    performance.now = realNow;
  }
});

Deno.test("EventLoopTurns refuses an interval that is NaN or negative, naming it", () => {
  // Found by mutation round NA (NA33, NA34): either turned at every call, silently, like 0.
  for (const intervalMs of [Number.NaN, -1, -Infinity]) {
    const error = assertThrows(() => new EventLoopTurns(intervalMs), RangeError);
    assertEquals(
      error.message,
      `EventLoopTurns: intervalMs must be a number >= 0, got ${intervalMs}`,
    );
  }
  assertEquals(new EventLoopTurns(0).intervalMs, 0);
});

Deno.test("yieldIfDue: the next interval counts from the end of a turn, not its start", async () => {
  // Found by mutation round NA (NA32): timers that run in the turn (a claim's heartbeat) may take
  // a while; the next turn is a full interval after them. The clock is stubbed: a timer queued
  // before the turn moves it on by 600 ms while the turn runs.
  const realNow = performance.now;
  let now = 10_000;
  performance.now = () => now;
  try {
    const loop = new EventLoopTurns(1000);
    const turned = async (during = 0) => {
      let ran = false;
      const timer = setTimeout(() => {
        ran = true;
        now += during;
      }, 0);
      await loop.yieldIfDue();
      clearTimeout(timer);
      return ran;
    };
    now = 11_000;
    assertEquals(await turned(600), true, "due: a turn, which ends at 11 600 ms");
    now = 12_000;
    assertEquals(await turned(), false, "400 ms after the turn ended");
    now = 12_600;
    assertEquals(await turned(), true, "a full interval after the turn ended");
  } finally {
    performance.now = realNow;
  }
});
