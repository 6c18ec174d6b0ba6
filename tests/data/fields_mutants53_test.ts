/**
 * Mutation-testing gaps of the chunked line reader (lib/data/import/_fields.ts): the last
 * progress event comes after the last line was visited and only when the read succeeded.
 */
import { assertEquals } from "@std/assert";
import { forEachLine } from "../../lib/data/import/_fields.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write } = importFixtures("fields_mutants53_");

/** Lines and progress events as one log, in the order they were heard. */
function heardWhileReading(path: string, chunkBytes: number): string[] {
  const heard: string[] = [];
  forEachLine(
    path,
    (line, content) => heard.push(`line ${line} ${content}`),
    { chunkBytes },
    ({ done, total }) => heard.push(`progress ${done}/${total}`),
  );
  return heard;
}

Deno.test("forEachLine: the last progress event follows the last line, even one without a line feed", () => {
  // The last line has no line feed: it is visited only when the text ends, before the event
  // that says every byte was read.
  const path = `${write({ ".txt": "a b\nc d" })}.txt`;
  for (const chunkBytes of [1, 3, 1 << 20]) {
    const heard = heardWhileReading(path, chunkBytes);
    assertEquals(heard.filter((entry) => entry.startsWith("line")), [
      "line 1 a b",
      "line 2 c d",
    ]);
    assertEquals(heard.at(-1), "progress 7/7", `chunks of ${chunkBytes}`);
    assertEquals(heard.at(-2), "line 2 c d", `chunks of ${chunkBytes}`);
  }
});

Deno.test("forEachLine: a read refused at the end of the text hears no last, whole-file event", () => {
  // A carriage return on the last line (no line feed after it) is found only at the end; the
  // visitor's error on the last line too. Neither read finished, so neither says all was read.
  const bare = `${write({ ".txt": "a b\nc\rd" })}.txt`;
  const heard: string[] = [];
  assertDataError(
    () => forEachLine(bare, () => {}, { chunkBytes: 1 << 20 }, (p) => heard.push(`${p.done}`)),
    bare,
    2,
    "file",
    "a carriage return without a line feed",
  );
  assertEquals(heard, []);
  const failing = `${write({ ".txt": "a b\nc d" })}.txt`;
  const events: number[] = [];
  let error: unknown;
  try {
    forEachLine(
      failing,
      (line) => {
        if (line === 2) throw new Error("the visitor refuses line 2");
      },
      { chunkBytes: 1 << 20 },
      (p) => events.push(p.done),
    );
  } catch (thrown) {
    error = thrown;
  }
  assertEquals((error as Error).message, "the visitor refuses line 2");
  assertEquals(events, []);
});
