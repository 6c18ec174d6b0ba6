/**
 * prepareDataset asked to log (`options.log`) says, after its reading line, how far the read of a
 * file dataset is: MiB of the interaction file read of its size, the rate, the time so far and
 * left, every 5 s at most and nothing for a file read sooner (a RecBole `.inter` of millions of
 * lines took tens of seconds). The child here runs on a clock that moves 6 s at each reading, so
 * each throttled event passes: no test waits or is timed. Without a log nothing is said.
 */
import { assertEquals } from "@std/assert";
import { readingProgressLine } from "../../lib/experiments/datasets.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

/** What `prepareDataset(spec, options)` logs and prints in a child on a clock of 6 s a reading. */
function logged(spec: object, withLog: boolean): Promise<{ log: string[]; printed: string[] }> {
  return evalInSubprocess(`
    import { prepareDataset } from ${projectModule("lib/experiments/datasets.ts")};
    const log = [], printed = [];
    const consoleLog = console.log, consoleError = console.error;
    let now = 0;
    performance.now = () => (now += 6000);
    console.log = console.error = (...a) => printed.push(a.join(" "));
    await prepareDataset(${JSON.stringify(spec)}, ${
    withLog ? "{ log: (line) => log.push(line) }" : "{}"
  });
    console.log = consoleLog; console.error = consoleError;
    console.log(JSON.stringify({ log, printed }));
  `);
}

Deno.test("prepareDataset's log hears the read's progress of a RecBole .inter, the last with all of it", async () => {
  const spec = { kind: "file", path: `${FIXTURES}tiny`, format: "recbole" } as const;
  const size = Deno.statSync(`${FIXTURES}tiny.inter`).size;
  const { log, printed } = await logged(spec, true);
  assertEquals(printed, []);
  assertEquals(log.length, 2);
  assertEquals(log[0], `reading dataset ${FIXTURES}tiny (recbole)`);
  // One chunk (the file is under 1 MiB): its one event, all of it read, 6 s after the start.
  assertEquals(log[1], readingProgressLine(spec, { done: size, total: size, seconds: 6 }));
  assertEquals(log[1].startsWith(`reading dataset ${FIXTURES}tiny: 0.0/0.0 MiB, `), true);
});

Deno.test("prepareDataset's log hears a sequence file's read; without a log nothing is said", async () => {
  const spec = { kind: "file", path: `${FIXTURES}tiny.txt`, format: "sequence" } as const;
  const size = Deno.statSync(`${FIXTURES}tiny.txt`).size;
  const { log } = await logged(spec, true);
  assertEquals(log.slice(1), [readingProgressLine(spec, { done: size, total: size, seconds: 6 })]);
  assertEquals(await logged(spec, false), { log: [], printed: [] });
});

Deno.test("readingProgressLine: the dataset's path, MiB read of all, rate, time so far and left", () => {
  assertEquals(
    readingProgressLine(
      { kind: "file", path: "data/beauty/beauty", format: "recbole" },
      { done: 2 ** 23, total: 2 ** 25, seconds: 5 },
    ),
    "reading dataset data/beauty/beauty: 8.0/32.0 MiB, 1.6 MiB/s, 5.0 s, about 15 s of it left",
  );
});
