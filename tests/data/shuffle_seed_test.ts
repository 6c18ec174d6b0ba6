import { assertEquals, assertNotEquals } from "@std/assert";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 20 users, each with one training window: the batch order is the permutation of the users.
const split = leaveOneOut(cycleDataset(20, 30, 6));

function order(seed: number, epoch: number): number[] {
  return trainingBatches(split, epoch, { batchSize: 8, seed, shuffle: true })
    .flatMap((batch) => Array.from(batch.users));
}

Deno.test("shuffle: (seed, epoch) pairs with the same seed + epoch give different orders", () => {
  assertEquals([...order(4, 1)].sort((a, b) => a - b), Array.from({ length: 20 }, (_, u) => u));
  assertEquals(order(4, 1), order(4, 1), "seeded: the same pair gives the same order");
  // Seed s at epoch e must not repeat seed s + 1 at epoch e - 1: two runs with neighbouring seeds
  // would otherwise train on the same batches one epoch apart.
  assertNotEquals(order(4, 1), order(5, 0));
  const orders = [0, 1, 2, 3].map((seed) => JSON.stringify(order(seed, 3 - seed)));
  assertEquals(new Set(orders).size, 4, "seeds 0..3 at epochs 3..0 give 4 different orders");
});
