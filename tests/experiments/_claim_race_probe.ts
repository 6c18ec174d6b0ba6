/**
 * Run twice at once by claim_race_test.ts: claims and releases `key` in the store `directory` in
 * a loop for `milliseconds`, and prints (JSON) how often it took the cell, how often another
 * process held it, and the errors it met (an empty claim read while being written was one).
 */
import { ResultStore } from "../../lib/experiments/result_store.ts";

const [directory, key, milliseconds] = Deno.args;
const store = new ResultStore(directory);
const counts = { taken: 0, held: 0, errors: [] as string[] };
const end = Date.now() + Number(milliseconds);
while (Date.now() < end) {
  try {
    if (store.claim(key) === undefined) {
      counts.taken++;
      store.release(key);
    } else counts.held++;
  } catch (error) {
    counts.errors.push((error as Error).message);
  }
}
console.log(JSON.stringify(counts));
