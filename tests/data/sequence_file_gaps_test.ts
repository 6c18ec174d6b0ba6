/**
 * Sequence files (`sequence_file.ts`) where mutation round AD found behaviour no test pinned: which
 * first lines are headers, that only the first line can be one, how much of a header the refusal
 * shows, when a duplicate user gets the interaction-file hint, and what a `.inter` beside a
 * missing path must be for the RecBole hint.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { dir, write: fixture } = importFixtures("sequence_file_gaps_");

Deno.test("a header's column words are matched in any case", () => {
  const path = `${fixture({ ".txt": "User_ID i1 i2\nu1 a b\n" })}.txt`;
  assertDataError(() => readSequenceFile(path), path, 1, "user", "looks like a header line");
});

Deno.test("a first line with a :token item column is RecBole's header whatever the user column", () => {
  const path = `${fixture({ ".txt": "visitor product_id:token\nu1 a b\n" })}.txt`;
  assertDataError(
    () => readSequenceFile(path),
    path,
    1,
    "user",
    "looks like a header line; RecBole's typed columns (name:type)",
  );
});

Deno.test("only the first line can be a header: a later user called 'user' is a user", () => {
  const path = `${fixture({ ".txt": "u1 a b\nuser a c\nuid item_ids\n" })}.txt`;
  const dataset = readSequenceFile(path);
  assertEquals(dataset.userIds, ["u1", "user", "uid"]);
  assertEquals(dataset.itemIds, ["a", "b", "c", "item_ids"]);
});

Deno.test("a long header line is shown up to 60 characters", () => {
  const header = `user_id ${Array.from({ length: 20 }, (_, i) => `item${i}`).join(" ")}`;
  const path = `${fixture({ ".txt": `${header}\nu1 a\n` })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals(
    error.detail,
    `"${header.slice(0, 60)}" looks like a header line; a sequence file has no header (remove ` +
      "the line)",
  );
});

Deno.test("a duplicate user's short line after a long first line gets no interaction-file hint", () => {
  // The hint is for files of one interaction a line: the user's first line must be short too.
  const path = `${fixture({ ".txt": "u1 a b c d e\nu1 f\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals([error.line, error.detail], [2, 'duplicate user "u1" (first on line 1)']);
});

Deno.test("a missing path whose .inter is a folder gets the plain cannot-read, no RecBole hint", () => {
  const base = `${dir}/folder_base`;
  Deno.mkdirSync(`${base}.inter`);
  assertDataError(() => readSequenceFile(base), base, 0, "file", "cannot read: No such file");
});

Deno.test("a path that cannot be looked at for another reason than its absence is the reader's cannot-read", () => {
  // Under a file, "case/x" is no directory entry: the system's error, unnamed, stopped the run.
  const path = `${fixture({ ".txt": "u1 a b\n" })}.txt/x`;
  assertDataError(() => readSequenceFile(path), path, 0, "file", "cannot read: Not a directory");
});

Deno.test("a duplicate user names the line its first history is on, blank lines counted", () => {
  const path = `${fixture({ ".txt": "u0 x\n\nu1 a b\nu1 c\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals(error.line, 4);
  assert(error.detail.startsWith('duplicate user "u1" (first on line 3)'), error.detail);
});

Deno.test("a sequence file read without a name is named by its path", () => {
  const path = `${fixture({ ".txt": "u1 a b\n" })}.txt`;
  assertEquals(readSequenceFile(path).name, path);
  assertEquals(readSequenceFile(path, "mine").name, "mine");
});

Deno.test("a first line with one :token item among other columns is a header all the same", () => {
  // One typed item column is enough: "visitor" and "timestamp:float" do not make it a history.
  const path = `${fixture({ ".txt": "visitor item_id:token timestamp:float\nu1 a b\n" })}.txt`;
  assertDataError(
    () => readSequenceFile(path),
    path,
    1,
    "user",
    "looks like a header line; RecBole's typed columns (name:type)",
  );
});
