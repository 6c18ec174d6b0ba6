import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { createRng } from "../../lib/util/random.ts";

Deno.test("createRng: same seed gives the same stream, another seed another one", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const seqA = Array.from({ length: 20 }, () => a.next());
  const seqB = Array.from({ length: 20 }, () => b.next());
  const seqC = Array.from({ length: 20 }, () => c.next());
  assertEquals(seqA, seqB);
  assertNotEquals(seqA, seqC);
  for (const value of seqA) assert(value >= 0 && value < 1);
});

Deno.test("Rng.int covers [0, n) evenly; normal has mean 0 and variance 1", () => {
  const rng = createRng(1);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50000; i++) counts[rng.int(5)]++;
  for (const count of counts) assertAlmostEquals(count / 50000, 0.2, 0.01);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < 50000; i++) {
    const z = rng.normal();
    sum += z;
    sumSquares += z * z;
  }
  assertAlmostEquals(sum / 50000, 0, 0.02);
  assertAlmostEquals(sumSquares / 50000, 1, 0.03);
  assertThrows(() => rng.int(0));
  assertThrows(() => createRng(Number.NaN));
});

Deno.test("Rng.shuffle is a permutation and reproducible", () => {
  const shuffled = createRng(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
  assertEquals([...shuffled].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7]);
  assertEquals(createRng(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7]), shuffled);
});
