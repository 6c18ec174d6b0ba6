/**
 * Run by lost_claim_test.ts as the second process: opens the store `directory`, claims `key`
 * (taking over the first process's claim, whose heartbeat the test made stale) and exits holding
 * it, printing its claim (JSON), or the live holder it found as `{"heldBy": ...}`.
 */
import { ResultStore } from "../../lib/experiments/result_store.ts";

const [directory, key] = Deno.args;
const store = new ResultStore(directory);
const holder = store.claim(key);
console.log(JSON.stringify(holder ? { heldBy: holder } : store.claimOf(key)));
