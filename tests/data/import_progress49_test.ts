/**
 * Progress while one data file is read: `readRecBoleAtomic`'s and `readSequenceFile`'s
 * `onProgress` hears the bytes read of the file's size after each chunk (a `.inter` of millions of
 * lines took tens of seconds in silence). The events grow, end with the whole file, and change
 * nothing read; the `.item` file's reading is not counted as the `.inter`'s.
 */
import { assert, assertEquals } from "@std/assert";
import { readRecBoleAtomic, readRecBoleAtomicInChunks } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import type { WorkProgress } from "../../lib/util/work_progress.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { write } = importFixtures("import_progress49_");

const INTER = "user_id:token\titem_id:token\ttimestamp:float\n" +
  Array.from({ length: 40 }, (_, row) => `u${row % 6}\ti${(row * 7) % 11}\t${1000 + row}`)
    .join("\n") +
  "\n";
const ITEM = "item_id:token\tgenre:token\n" +
  Array.from({ length: 11 }, (_, i) => `i${i}\tg${i % 3}`).join("\n") + "\n";

/** Asserts the events grow, each of the same total, the last with all of `size` bytes. */
function assertWholeFile(heard: WorkProgress[], size: number): void {
  assert(heard.length > 0, "no progress heard");
  for (const [i, progress] of heard.entries()) {
    assertEquals(progress.total, size);
    if (i > 0) assert(progress.done > heard[i - 1].done, `event ${i} does not grow`);
  }
  assertEquals(heard.at(-1)!.done, size);
}

Deno.test("reading a .inter in chunks: an event per chunk, growing, the last with every byte", () => {
  const base = write({ ".inter": INTER, ".item": ITEM });
  const size = Deno.statSync(`${base}.inter`).size;
  const heard: WorkProgress[] = [];
  readRecBoleAtomicInChunks(base, {}, { chunkBytes: 100 }, (p) => heard.push(p));
  assertWholeFile(heard, size);
  // One event per chunk of 100 bytes after the first two (the byte-order-mark check), the last
  // at the end of the file: the .item file's reads are not among them.
  assertEquals(heard.length, Math.ceil((size - 2) / 100));
  assertEquals(heard.slice(0, 2).map((p) => p.done), [102, 202]);
});

Deno.test("the dataset read is the same with and without a progress listener", () => {
  const base = write({ ".inter": INTER, ".item": ITEM });
  const heard: WorkProgress[] = [];
  const withProgress = readRecBoleAtomic(base, {}, (p) => heard.push(p));
  const quiet = readRecBoleAtomic(base);
  assertEquals(withProgress, quiet);
  // A file within one 1 MiB chunk: its one event has it all.
  assertEquals(heard.map(({ done, total }) => [done, total]), [[INTER.length, INTER.length]]);
});

Deno.test("reading a sequence file: its bytes' progress, the same dataset as without", () => {
  const text = Array.from({ length: 30 }, (_, u) => `u${u} i${u % 4} i${(u + 1) % 5} i7`)
    .join("\n") + "\n";
  const base = write({ ".txt": text });
  const heard: WorkProgress[] = [];
  const withProgress = readSequenceFile(`${base}.txt`, "seq", (p) => heard.push(p));
  assertWholeFile(heard, text.length);
  assertEquals(withProgress, readSequenceFile(`${base}.txt`, "seq"));
});

Deno.test("an empty progress of an empty file: one event, nothing of nothing", () => {
  // A sequence file with no line is refused after the read; the read itself ends with 0 of 0.
  const base = write({ ".txt": "" });
  const heard: WorkProgress[] = [];
  try {
    readSequenceFile(`${base}.txt`, "empty", (p) => heard.push(p));
  } catch {
    // the refusal of an empty file is the readers' tests' subject
  }
  assertEquals(heard.map(({ done, total }) => [done, total]), [[0, 0]]);
});
