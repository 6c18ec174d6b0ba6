/**
 * Sequence files where mutation round MG found behaviour no test pinned: the header words a
 * refusal knows (`sequence`, `session`, an `item_seq` column) and how a header with leading space
 * is quoted.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("sequence_file_mg_gaps_");

Deno.test("a header with leading spaces is quoted without them (MG29)", () => {
  const path = `${fixture({ ".txt": "  user_id item_ids\nu1 a b\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals(
    error.detail,
    '"user_id item_ids" looks like a header line; a sequence file has no header (remove the line)',
  );
});

Deno.test("'sequence' and 'session' as the first column, or an item_seq column, are header words (MG31, MG32)", () => {
  for (
    const header of ["sequence a b", "Session a b", "visitor item_seq", "visitor item_sequence"]
  ) {
    const path = `${fixture({ ".txt": `${header}\nu1 a b\n` })}.txt`;
    assertDataError(() => readSequenceFile(path), path, 1, "user", "looks like a header line");
  }
});

Deno.test("a first line with a :token_seq item column is RecBole's header (MG63)", () => {
  const path = `${fixture({ ".txt": "visitor tags:token_seq\nu1 a b\n" })}.txt`;
  assertDataError(
    () => readSequenceFile(path),
    path,
    1,
    "user",
    "looks like a header line; RecBole's typed columns (name:type)",
  );
});

Deno.test("a named sequence file's source names its path, not the name given (MG67)", () => {
  const path = `${fixture({ ".txt": "u1 a b\n" })}.txt`;
  const dataset = readSequenceFile(path, "mine");
  assertEquals([dataset.name, dataset.metadata.source], ["mine", `sequence file ${path}`]);
});
