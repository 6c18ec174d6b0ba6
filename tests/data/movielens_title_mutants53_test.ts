/**
 * Mutation-testing gaps of the MovieLens title helpers (lib/data/movielens/title.ts): the spaces
 * around a title are removed even when nothing else is, and a decomposed accent is one word.
 */
import { assertEquals } from "@std/assert";
import { readableTitle, titleTokens } from "../../lib/data/movielens/title.ts";

Deno.test("readableTitle: spaces around a title that is all parentheses, or all spaces, are removed", () => {
  assertEquals(readableTitle(" (1995) "), "(1995)");
  assertEquals(readableTitle("   "), "");
  assertEquals(readableTitle(" Heat, The "), "The Heat");
});

Deno.test("titleTokens: an accent written as a combining mark is part of its word (NFC)", () => {
  // "Café" with U+0301 after the e: without composing it, the mark split the word.
  assertEquals(titleTokens("Cafe\u0301 Society"), ["caf\u00e9", "society"]);
  assertEquals(titleTokens("Cafe\u0301 Society"), titleTokens("Caf\u00e9 Society"));
});
