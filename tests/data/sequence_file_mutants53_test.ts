/**
 * readSequenceFile behaviour that mutation round 53 found unpinned: the interaction-file hint on
 * a duplicate user needs both of its lines short; a long second line (a history) after a short
 * first one is only a duplicate user.
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { DataError } from "../../lib/data/errors.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("sequence_file_mutants53_test_");

Deno.test("a duplicate user's long line after a short first line gets no interaction-file hint", () => {
  const path = `${fixture({ ".txt": "u1 a\nu1 b c d e f\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals([error.line, error.detail], [2, 'duplicate user "u1" (first on line 1)']);
});
