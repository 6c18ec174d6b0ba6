/**
 * Run by claims_test.ts with the `reproduce` task's permissions: tries to claim `key` in the store
 * `directory` and prints the holder it found (JSON), or `null` when it took the cell.
 */
import { ResultStore } from "../../lib/experiments/result_store.ts";

const [directory, key] = Deno.args;
const store = new ResultStore(directory);
const holder = store.claim(key);
if (holder === undefined) store.release(key);
console.log(JSON.stringify(holder ?? null));
