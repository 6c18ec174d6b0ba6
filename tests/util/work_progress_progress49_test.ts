/**
 * The progress of one long piece of work (lib/util/work_progress.ts): its terminal line (parts
 * done of all, rate, time so far and left), and the throttle that keeps a terminal to a line every
 * few seconds and quick work silent. Events are made by hand with their seconds: no test is timed.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { timeLeftPhrase as attributionTimeLeft } from "../../lib/attribution/progress.ts";
import {
  MEBIBYTES,
  throttledWorkProgress,
  timeLeftPhrase,
  USERS,
  type WorkProgress,
  workProgressLine,
  workProgressReporter,
  workRate,
} from "../../lib/util/work_progress.ts";

/** The events `throttledWorkProgress(…, every)` passes on, of `events`. */
function passed(events: WorkProgress[], every?: number): WorkProgress[] {
  const heard: WorkProgress[] = [];
  const listener = throttledWorkProgress((progress) => heard.push(progress), every);
  for (const event of events) listener(event);
  return heard;
}

/** `count` events of 100 parts each, one every `secondsApart`, the last with all parts. */
function evenEvents(count: number, secondsApart: number): WorkProgress[] {
  return Array.from({ length: count }, (_, i) => ({
    done: 100 * (i + 1),
    total: 100 * count,
    seconds: secondsApart * (i + 1),
  }));
}

Deno.test("the work line gives parts done of all, the rate, the time so far and the time left", () => {
  assertEquals(
    workProgressLine("evaluation (test)", USERS, { done: 512, total: 2048, seconds: 4 }),
    "evaluation (test): 512/2048 users, 128 users/s, 4.0 s, about 12 s of it left",
  );
  // Scaled to MiB with one decimal; the rate too.
  assertEquals(
    workProgressLine("reading x.inter", MEBIBYTES, {
      done: 3 * 2 ** 20,
      total: 12 * 2 ** 20,
      seconds: 2,
    }),
    "reading x.inter: 3.0/12.0 MiB, 1.5 MiB/s, 2.0 s, about 6 s of it left",
  );
  // All done: no time left; no time passed: no rate.
  assertEquals(
    workProgressLine("e", USERS, { done: 10, total: 10, seconds: 0.5 }),
    "e: 10/10 users, 20 users/s, 0.5 s",
  );
  assertEquals(
    workProgressLine("e", USERS, { done: 0, total: 10, seconds: 0 }),
    "e: 0/10 users, 0.0 s",
  );
  assertEquals(workRate({ done: 5, total: 10, seconds: 0 }, USERS), undefined);
});

Deno.test("the time-left wording has one home: the attribution's lines use the same phrase", () => {
  assertEquals(attributionTimeLeft, timeLeftPhrase);
  assertEquals(timeLeftPhrase(128, 256, 20), ", about 20 s of it left");
});

Deno.test("throttled: work done within the interval says nothing at all", () => {
  // 10 chunks over 4.5 s, the default interval 5 s.
  assertEquals(passed(evenEvents(10, 0.45)), []);
});

Deno.test("throttled: long work says a line per interval and its end", () => {
  // 20 chunks of 1 s each over 20 s, a line every 5 s: at 5, 10, 15 and the end, 20.
  const heard = passed(evenEvents(20, 1), 5);
  assertEquals(heard.map((p) => p.seconds), [5, 10, 15, 20]);
  // Monotone, and the last has every part.
  assertEquals(heard.at(-1), { done: 2000, total: 2000, seconds: 20 });
  // The end after a line is said even when it follows at once.
  const soon = passed([
    { done: 1, total: 3, seconds: 6 },
    { done: 3, total: 3, seconds: 6.1 },
  ]);
  assertEquals(soon.map((p) => p.done), [1, 3]);
  // One slow chunk, the whole work: its end is said.
  assertEquals(passed([{ done: 4, total: 4, seconds: 7 }]).length, 1);
});

Deno.test("throttled: an interval that is not a number >= 0 is refused, 0 passes every event", () => {
  for (const bad of [-1, NaN, "5" as unknown as number]) {
    const error = assertThrows(() => throttledWorkProgress(() => {}, bad), RangeError);
    assertEquals(error.message.includes("everySeconds must be a number >= 0"), true);
  }
  assertEquals(passed(evenEvents(3, 0), 0).length, 3);
});

Deno.test("the reporter tells its listener parts done of the total, and nothing without one", () => {
  const heard: WorkProgress[] = [];
  const report = workProgressReporter(7, (progress) => heard.push(progress));
  report(3);
  report(7);
  assertEquals(heard.map(({ done, total }) => [done, total]), [[3, 7], [7, 7]]);
  // Wall time since the reporter began, never back in time.
  assertEquals(heard[0].seconds >= 0 && heard[1].seconds >= heard[0].seconds, true);
  workProgressReporter(7, undefined)(3); // no listener: nothing to call, nothing thrown
});
