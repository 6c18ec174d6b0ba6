/**
 * Behaviour of lib/util that a hand mutation round (session 53, mu53a) changed without any test
 * noticing. Each test names the mutant it kills.
 */
import { assertEquals } from "@std/assert";
import { type WorkProgress, workProgressReporter } from "../../lib/util/work_progress.ts";
import { formatPercent } from "../../lib/util/percent.ts";
import { EventLoopTurns } from "../../lib/util/event_loop.ts";
import { kernelInterruptAction, requestInterrupt } from "../../lib/util/interrupt.ts";
import { fakeClock } from "../_fake_clock.ts";

// Mutant: `(performance.now() - started) / 1000` -> `/ 1` in workProgressReporter (milliseconds
// reported as seconds: a 2.5 s evaluation said "2500.0 s" and a rate 1000 times too low).
Deno.test("workProgressReporter: the time since it was made, in seconds", () => {
  // The clock is replaced for this synchronous test only (nothing else runs meanwhile), then restored.
  const clock = fakeClock();
  try {
    clock.advance(1_000);
    const heard: WorkProgress[] = [];
    const report = workProgressReporter(40, (progress) => heard.push(progress));
    clock.advance(2_500);
    report(10);
    clock.advance(1_500);
    report(40);
    assertEquals(heard, [
      { done: 10, total: 40, seconds: 2.5 },
      { done: 40, total: 40, seconds: 4 },
    ]);
  } finally {
    clock.restore();
  }
});

// Mutant: `sinceLast < SECOND_INTERRUPT_SECONDS` -> `<=` in kernelInterruptAction (documented: an
// exit only when the previous interrupt came *less* than 10 s ago).
Deno.test("kernelInterruptAction: an interrupt exactly 10 s after an unanswered one is a new request", () => {
  const clock = fakeClock();
  try {
    const now = clock.advance(7_000_000);
    new EventLoopTurns(); // earlier requests are answered
    requestInterrupt(); // while idle: nothing answers it
    assertEquals(kernelInterruptAction(now + 9_999.5), "exit");
    assertEquals(kernelInterruptAction(now + 10_000), "request");
  } finally {
    clock.restore();
    new EventLoopTurns(); // leave the idle interrupt answered for whatever runs next
  }
});

// Mutant: `< ${step.toFixed(digits)} %` -> `< ${step} %` in formatPercent (from 7 decimals a number
// reads in exponent form: "< 1e-7 %").
Deno.test("formatPercent: the bound under a tiny share is written out in decimals at any precision", () => {
  assertEquals(formatPercent(1e-12, 7), "< 0.0000001 %");
  assertEquals(formatPercent(1 - 1e-12, 7), "> 99.9999999 %");
});
