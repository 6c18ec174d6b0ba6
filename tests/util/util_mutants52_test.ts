/**
 * Behaviour of lib/util that a hand mutation round (session 52, mu52c) changed without any test
 * noticing. Each test names the mutant it kills.
 */
import { assertEquals } from "@std/assert";
import { timeLeftPhrase, USERS, workProgressLine } from "../../lib/util/work_progress.ts";
import { closestSettingName } from "../../lib/util/settings.ts";
import { jsonDifferences } from "../../lib/util/json_differences.ts";

// Mutant: Math.ceil -> Math.round in timeLeftPhrase (the time left is rounded up, as documented).
Deno.test("timeLeftPhrase: the time left is rounded up, never down", () => {
  // 10 s for 3 of 4 parts: 3.33 s left, said as 4 s (3 s would promise less than is left).
  assertEquals(timeLeftPhrase(3, 4, 10), ", about 4 s of it left");
  assertEquals(
    workProgressLine("evaluation (test)", USERS, { done: 3, total: 4, seconds: 10 }),
    "evaluation (test): 3/4 users, 0 users/s, 10.0 s, about 4 s of it left",
  );
});

// Mutant: a replaced letter counted as two edits in editDistance (a delete and an insert).
Deno.test("closestSettingName: a replaced letter is one edit, so a short name one letter off is guessed", () => {
  // Names under 5 letters allow one edit: "sedd" is "seed" with one letter replaced.
  assertEquals(closestSettingName("sedd", ["seed", "batchSize"]), "seed");
  // From 5 letters two edits: two letters replaced.
  assertEquals(closestSettingName("batchSixa", ["seed", "batchSize"]), "batchSize");
});

// Mutant: .slice(0, 120) -> .slice(0, 60) in jsonDifferences' shown values.
Deno.test("jsonDifferences: a long value is shown by its first 120 characters of JSON", () => {
  const long = "x".repeat(200);
  const shown = JSON.stringify(long).slice(0, 120); // the quote and 119 letters
  assertEquals(jsonDifferences({ note: long }, { note: "y" }), [`note: ${shown} vs "y"`]);
  assertEquals(shown.length, 120);
});

// Mutant: limit - found.length -> limit in the call for a nested key.
Deno.test("jsonDifferences: the limit holds over all keys, differences found before a nested object included", () => {
  const a = { epochs: 1, training: { lr: 0.1, seed: 0 } };
  const b = { epochs: 2, training: { lr: 0.2, seed: 1 } };
  assertEquals(jsonDifferences(a, b, "", 2), ["epochs: 1 vs 2", "training.lr: 0.1 vs 0.2"]);
  assertEquals(jsonDifferences(a, b).length, 3);
});
