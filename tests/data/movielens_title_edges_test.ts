/**
 * Third-pass edges of the MovieLens title helpers (mutation round ND): the strip takes only a
 * whole innermost "(...)" group, and only the capitalised article MovieLens writes is moved.
 */
import { assertEquals } from "@std/assert";
import { readableTitle } from "../../lib/data/movielens/title.ts";

Deno.test("readableTitle strips only a group without parentheses inside; an unclosed one stays (ND37)", () => {
  // "(y)" is a whole group; "(x" before it is never closed, so it is part of the title.
  assertEquals(readableTitle("Foo (x (y)"), "Foo (x");
  assertEquals(readableTitle("Killer, The (x (y)"), "Killer, The (x");
});

Deno.test("readableTitle moves only the capitalised article: a lower-case ', the' ends the title (ND39)", () => {
  assertEquals(readableTitle("Killer, the"), "Killer, the");
  assertEquals(readableTitle("Femme Nikita, la (1990)"), "Femme Nikita, la");
  assertEquals(readableTitle("Killer, The"), "The Killer");
});

Deno.test("readableTitle moves an article only after a comma and one space (ND49)", () => {
  assertEquals(readableTitle("Killer,The"), "Killer,The");
  assertEquals(readableTitle("Killer, The"), "The Killer");
});

Deno.test("readableTitle leaves a bare ', The' as it is, not 'The ' with a trailing space (ND38)", () => {
  assertEquals(readableTitle(", The"), ", The");
  assertEquals(readableTitle(", The (1990)"), ", The");
  assertEquals(readableTitle("X, The"), "The X");
  // A space before the comma: "The Heat " with a trailing space before (ND44).
  assertEquals(readableTitle("Heat , The"), "Heat , The");
});
