/**
 * bench/peak_memory.ts: the leak check (the live tensors at the end of every epoch) and the peak
 * it reads.
 */
import { assert, assertEquals } from "@std/assert";
import { peakResidentMiB, tensorTrend } from "../../bench/peak_memory.ts";
import { runScript } from "../cli/_run_script.ts";

Deno.test("peak_memory: the same live tensors after every epoch is flat; any growth is not", () => {
  assertEquals(tensorTrend([145, 145, 145]), { flat: true, text: "flat (145 after every epoch)" });
  assertEquals(tensorTrend([180]).flat, true);
  assertEquals(tensorTrend([145, 145, 146]), {
    flat: false,
    text: "NOT FLAT (145, 145, 146 after epochs 1..3)",
  });
  assertEquals(tensorTrend([145, 144]).flat, false);
  // Back to the first count at the end is not flat either (mutation round ID): it grew between.
  assertEquals(tensorTrend([145, 146, 145]).flat, false);
});

Deno.test("peakResidentMiB is the peak resident set (VmHWM) in MiB, not the current size", () => {
  // Lines of a /proc/self/status taken after a peak: the current size is below it.
  const status = "VmPeak:\t 9043968 kB\nVmSize:\t 8912896 kB\nVmHWM:\t  786432 kB\n" +
    "VmRSS:\t  524288 kB\n";
  assertEquals(peakResidentMiB(status), 768);
  assertEquals(peakResidentMiB("Name:\tdeno\n"), NaN);
  // This process's own: at least its current size.
  const rss = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))!;
  assert(
    peakResidentMiB() >= Number(rss[1]) / 1024,
    `${peakResidentMiB()} MiB, VmRSS ${rss[1]} kB`,
  );
});

Deno.test("peakResidentMiB is NaN where /proc cannot be read, never a number", async () => {
  // Mutation round ID: a made-up 0 there would read as a measured peak.
  const { code, stdout, stderr } = await runScript(
    "tests/bench/_peak_resident_without_proc.ts",
    [],
    ["-A", "--deny-read=/proc"],
  );
  assertEquals([code, stdout, stderr], [0, "NaN\n", ""]);
});
